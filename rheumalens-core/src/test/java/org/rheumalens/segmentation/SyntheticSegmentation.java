package org.rheumalens.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rheumalens.preprocess.Plane;

/**
 * SYNTHETIC test images with known truth, not anatomy: a noisy grey background with a smooth random shading, a
 * brighter striated ellipse ("gland", label 1, in every image) and, in most images, a smaller dark homogeneous ellipse
 * ("node", label 2) that may lie over the gland. Edges are softened by a pixel, as in a real image, so the outline is
 * not readable from one threshold. Public for the review server's tests, which train a tiny model on them.
 */
public final class SyntheticSegmentation {

  public static final List<String> CLASSES = List.of("background", "gland", "node");
  public static final PixelSpacing SPACING = PixelSpacing.isotropic(0.15);

  private SyntheticSegmentation() {}

  /** {@code count} images of {@code size} x {@code size}, drawn from {@code seed}. */
  public static List<SegmentationSample> samples(int count, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SegmentationSample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(sample(size, random.split()));
    }
    return out;
  }

  private record Ellipse(double cx, double cy, double a, double b, double angle) {
    /** Signed distance-like value: below 1 inside, 1 on the outline. */
    double radius(double x, double y) {
      double dx = x - cx;
      double dy = y - cy;
      double u = (dx * Math.cos(angle) + dy * Math.sin(angle)) / a;
      double v = (-dx * Math.sin(angle) + dy * Math.cos(angle)) / b;
      return Math.sqrt(u * u + v * v);
    }

    /** 1 inside, 0 outside, a linear ramp about one pixel wide across the outline. */
    double cover(double x, double y) {
      double edge = (radius(x, y) - 1) * Math.min(a, b);
      return Math.max(0, Math.min(1, 0.5 - edge));
    }
  }

  private static SegmentationSample sample(int size, SplittableRandom random) {
    double s = size / 64.0;
    Ellipse gland = new Ellipse(size * random.nextDouble(0.3, 0.7), size * random.nextDouble(0.3, 0.7),
        s * random.nextDouble(11, 19), s * random.nextDouble(7, 12), random.nextDouble(Math.PI));
    boolean hasNode = random.nextDouble() < 0.75;
    Ellipse node = new Ellipse(size * random.nextDouble(0.2, 0.8), size * random.nextDouble(0.2, 0.8),
        s * random.nextDouble(5, 9), s * random.nextDouble(5, 8), random.nextDouble(Math.PI));
    double background = random.nextDouble(0.3, 0.45);
    double glandLevel = background + random.nextDouble(0.2, 0.3);
    double nodeLevel = background - random.nextDouble(0.18, 0.25);
    double stripe = random.nextDouble(2.5, 4) * s;
    double shadeX = random.nextDouble(-0.1, 0.1) / size;
    double shadeY = random.nextDouble(-0.1, 0.1) / size;
    double noise = random.nextDouble(0.05, 0.09);
    float[] pixels = new float[size * size];
    int[] labels = new int[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double v = background + shadeX * (x - size / 2.0) + shadeY * (y - size / 2.0);
        double g = gland.cover(x, y);
        // The gland's texture: stripes along its long axis.
        double texture = 0.06 * Math.sin((x * Math.sin(gland.angle()) - y * Math.cos(gland.angle())) * 2 * Math.PI / stripe);
        v = v * (1 - g) + (glandLevel + texture) * g;
        double n = hasNode ? node.cover(x, y) : 0;
        v = v * (1 - n) + nodeLevel * n;
        v += noise * random.nextGaussian();
        pixels[y * size + x] = (float) Math.max(0, Math.min(1, v));
        labels[y * size + x] = n >= 0.5 ? 2 : g >= 0.5 ? 1 : 0;
      }
    }
    return new SegmentationSample(new Plane(size, size, pixels), LabelMask.of(size, size, labels), SPACING);
  }
}
