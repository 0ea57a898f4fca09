package org.rheumalens.segmentation;

import java.util.random.RandomGenerator;
import org.rheumalens.preprocess.AffineWarp;
import org.rheumalens.preprocess.Plane;

/**
 * Training augmentation that moves an image and its mask together: a horizontal flip and a small rotation, isotropic
 * scale and shift about the centre, drawn once and applied to both (bilinear for the image, nearest neighbour for the
 * mask, so labels are never blended into classes that are not there); then gamma, contrast and noise on the image
 * only, since they do not move any structure. Outside the source the border is repeated, in the image and the mask
 * alike. The pixel spacing follows the scale.
 *
 * @param flipProbability chance of a left-right flip (never up-down: depth and gravity have a direction in images)
 * @param maxRotationDegrees rotation drawn uniformly within plus or minus this
 * @param maxScaleDelta scale drawn uniformly in 1 plus or minus this
 * @param maxShiftFraction shift along each axis, as a fraction of the image size
 * @param maxLogGamma gamma is exp of a value drawn within plus or minus this
 * @param maxContrastDelta contrast about mid-grey scaled by 1 plus or minus this
 * @param maxNoise Gaussian noise with a standard deviation drawn from 0 to this
 */
public record SegmentationAugmentation(
    double flipProbability, double maxRotationDegrees, double maxScaleDelta, double maxShiftFraction,
    double maxLogGamma, double maxContrastDelta, double maxNoise) {

  public SegmentationAugmentation {
    if (flipProbability < 0 || flipProbability > 1 || maxRotationDegrees < 0 || maxScaleDelta < 0 || maxScaleDelta >= 1
        || maxShiftFraction < 0 || maxLogGamma < 0 || maxContrastDelta < 0 || maxContrastDelta >= 1 || maxNoise < 0) {
      throw new IllegalArgumentException("augmentation ranges must be non-negative (scale and contrast below 1, flip "
          + "a probability): " + this);
    }
  }

  /** Small moves that keep anatomy plausible: flip half the time, up to 10 degrees, 10% scale, 6% shift. */
  public static SegmentationAugmentation standard() {
    return new SegmentationAugmentation(0.5, 10, 0.10, 0.06, 0.3, 0.15, 0.03);
  }

  public static SegmentationAugmentation none() {
    return new SegmentationAugmentation(0, 0, 0, 0, 0, 0, 0);
  }

  /** The augmented sample; {@code random} is consumed in a fixed order, so a seeded generator repeats it exactly. */
  public SegmentationSample apply(SegmentationSample sample, RandomGenerator random) {
    boolean flip = random.nextDouble() < flipProbability;
    double angle = Math.toRadians(uniform(random, maxRotationDegrees));
    double scale = 1 + uniform(random, maxScaleDelta);
    int w = sample.width();
    int h = sample.height();
    double shiftX = uniform(random, maxShiftFraction) * w;
    double shiftY = uniform(random, maxShiftFraction) * h;
    double gamma = Math.exp(uniform(random, maxLogGamma));
    double contrast = 1 + uniform(random, maxContrastDelta);
    double noise = random.nextDouble() * maxNoise;

    Plane image = sample.image();
    LabelMask mask = sample.mask();
    float[] pixels = new float[w * h];
    byte[] labels = new byte[w * h];
    // Image and mask go through the same source positions; the mask by nearest neighbour.
    new AffineWarp(angle, scale, shiftX, shiftY, flip).forEachPixel(w, h, (i, sx, sy) -> {
      double v = image.sample((float) sx, (float) sy);
      v = (Math.pow(Math.max(0, Math.min(1, v)), gamma) - 0.5) * contrast + 0.5;
      pixels[i] = (float) Math.max(0, Math.min(1, v + noise * random.nextGaussian()));
      int nx = (int) Math.max(0, Math.min(w - 1, Math.round(sx)));
      int ny = (int) Math.max(0, Math.min(h - 1, Math.round(sy)));
      labels[i] = mask.labels()[ny * w + nx];
    });
    PixelSpacing spacing = sample.spacing() == null ? null
        : new PixelSpacing(sample.spacing().columnMm() / scale, sample.spacing().rowMm() / scale);
    return new SegmentationSample(new Plane(w, h, pixels), new LabelMask(w, h, labels), spacing);
  }

  private static double uniform(RandomGenerator random, double max) {
    return (random.nextDouble() * 2 - 1) * max;
  }
}
