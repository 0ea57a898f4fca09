package org.rheumalens.locate;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.Plane;

/**
 * A whole bilateral PA knee radiograph composed from two knee crops: dark air, each leg's soft tissue, femoral and
 * tibial shafts running out of the crop, the crops blended in over a soft border, an exposure gradient, a burnt-in
 * side marker and noise. Knee size, gap, height (the two within 12% of a knee of each other), leg lengths and canvas
 * size vary with the seed. The crops
 * sit where {@link #boxes()} says: those are the boxes a locator must find.
 */
record SyntheticRadiograph(Plane image, List<KneeBox> boxes) {

  /** {@code rightKnee} goes on the image's left (the patient's right, PA view), {@code leftKnee} on the right. */
  static SyntheticRadiograph bilateral(Plane rightKnee, Plane leftKnee, SplittableRandom random) {
    double size = 224 * random.nextDouble(1.4, 2.8);
    int knee = (int) Math.round(size);
    double gap = size * random.nextDouble(0.25, 0.9);
    double margin = size * random.nextDouble(0.25, 0.7);
    int width = (int) Math.round(2 * margin + 2 * size + gap);
    int height = (int) Math.round(size * random.nextDouble(1.5, 2.6));
    // Both knees of a standing film sit at about the same height.
    double level = random.nextDouble(0.1, 0.9) * (height - size);
    double[] y0 = new double[2];
    for (int k = 0; k < 2; k++) {
      y0[k] = Math.max(0, Math.min(height - size, level + random.nextDouble(-0.12, 0.12) * size));
    }
    double[] x0 = {margin + random.nextDouble(-0.1, 0.1) * size, margin + size + gap + random.nextDouble(-0.1, 0.1) * size};
    float[] d = new float[width * height];
    double tilt = random.nextDouble(-0.15, 0.15);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        d[y * width + x] = (float) (0.06 + tilt * ((double) x / width - 0.5));
      }
    }
    Plane[] crops = {rightKnee, leftKnee};
    for (int k = 0; k < 2; k++) {
      drawLeg(d, width, height, x0[k], y0[k], size, crops[k]);
    }
    for (int k = 0; k < 2; k++) {
      blendCrop(d, width, height, x0[k], y0[k], knee, crops[k]);
    }
    drawMarker(d, width, height, random);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.max(0, Math.min(1, d[i] + 0.01 * random.nextGaussian()));
    }
    return new SyntheticRadiograph(new Plane(width, height, d),
        List.of(new KneeBox(x0[0], y0[0], knee), new KneeBox(x0[1], y0[1], knee)));
  }

  /** The film as an 8-bit greyscale image file would decode it (what the grader cuts knee crops from). */
  Radiograph radiograph(String name) {
    float[] values = image.data().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.round(values[i] * 255);
    }
    return new Radiograph(name, "PNG", image.width(), image.height(), values, 8, false, Optional.empty(),
        Optional.empty(), "OT");
  }

  /** Soft tissue as wide as the crop, and bone shafts above and below it at the crop's edge brightness. */
  private static void drawLeg(float[] d, int width, int height, double x0, double y0, double size, Plane crop) {
    double top = rowMean(crop, 0, 12);
    double bottom = rowMean(crop, crop.height() - 12, crop.height());
    double tissue = Math.min(top, bottom) * 0.7;
    double cx = x0 + size / 2;
    for (int y = 0; y < height; y++) {
      boolean above = y < y0 + size / 2;
      // The femoral shaft narrows away from the condyles; the tibial shaft likewise below the plateau.
      double distance = Math.abs(y - (y0 + size / 2)) / size;
      double boneHalf = size * (above ? 0.42 - 0.12 * Math.min(1, distance) : 0.40 - 0.14 * Math.min(1, distance));
      double legHalf = size * 0.62;
      for (int x = 0; x < width; x++) {
        double r = Math.abs(x - cx);
        double leg = smoothStep(legHalf - r, size * 0.04);
        double bone = smoothStep(boneHalf - r, size * 0.02);
        double value = tissue * leg + ((above ? top : bottom) - tissue) * bone * leg;
        d[y * width + x] = (float) Math.max(d[y * width + x], value);
      }
    }
  }

  /** The crop, resized to {@code knee} pixels, blended in over a border of 4% of its size. */
  private static void blendCrop(float[] d, int width, int height, double x0, double y0, int knee, Plane crop) {
    Plane scaled = Resampling.area(crop, knee, knee);
    double feather = knee * 0.04;
    int ix = (int) Math.round(x0);
    int iy = (int) Math.round(y0);
    for (int y = 0; y < knee; y++) {
      for (int x = 0; x < knee; x++) {
        int tx = ix + x;
        int ty = iy + y;
        if (tx < 0 || ty < 0 || tx >= width || ty >= height) {
          continue;
        }
        double edge = Math.min(Math.min(x, knee - 1 - x), Math.min(y, knee - 1 - y));
        double alpha = Math.min(1, (edge + 0.5) / feather);
        int i = ty * width + tx;
        d[i] = (float) (alpha * scaled.data()[y * knee + x] + (1 - alpha) * d[i]);
      }
    }
  }

  /** A bright lead-letter square in a top corner, as technologists place them. */
  private static void drawMarker(float[] d, int width, int height, SplittableRandom random) {
    int side = Math.max(12, height / 25);
    int x0 = random.nextBoolean() ? side : width - 2 * side;
    int y0 = side;
    for (int y = y0; y < y0 + side && y < height; y++) {
      for (int x = x0; x < x0 + side && x < width; x++) {
        boolean stroke = x - x0 < side / 4 || y - y0 < side / 4;
        d[y * width + x] = stroke ? 0.95f : d[y * width + x];
      }
    }
  }

  private static double rowMean(Plane p, int from, int to) {
    double sum = 0;
    for (int y = from; y < to; y++) {
      for (int x = p.width() / 4; x < 3 * p.width() / 4; x++) {
        sum += p.at(x, y);
      }
    }
    return sum / ((to - from) * (p.width() / 2.0));
  }

  private static double smoothStep(double signedDistance, double softness) {
    return 1 / (1 + Math.exp(-signedDistance / softness));
  }
}
