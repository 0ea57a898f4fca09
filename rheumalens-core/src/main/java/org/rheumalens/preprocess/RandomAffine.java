package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Training augmentation: horizontal flip, small rotation, isotropic scale and shift, about the image centre.
 * A flip turns a left knee into a right one; the KL grade is side-independent, and side labels are never derived
 * from pixels of an augmented image.
 */
public final class RandomAffine implements PlaneTransform {

  private final double flipProbability;
  private final double maxRotationDegrees;
  private final double maxScaleDelta;
  private final double maxShiftFraction;

  public RandomAffine(double flipProbability, double maxRotationDegrees, double maxScaleDelta, double maxShiftFraction) {
    this.flipProbability = flipProbability;
    this.maxRotationDegrees = maxRotationDegrees;
    this.maxScaleDelta = maxScaleDelta;
    this.maxShiftFraction = maxShiftFraction;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    boolean flip = random.nextDouble() < flipProbability;
    double angle = Math.toRadians((random.nextDouble() * 2 - 1) * maxRotationDegrees);
    double scale = 1 + (random.nextDouble() * 2 - 1) * maxScaleDelta;
    double shiftX = (random.nextDouble() * 2 - 1) * maxShiftFraction * plane.width();
    double shiftY = (random.nextDouble() * 2 - 1) * maxShiftFraction * plane.height();
    int w = plane.width();
    int h = plane.height();
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // Inverse mapping: for each output pixel find its source position.
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      double dy = y - cy - shiftY;
      for (int x = 0; x < w; x++) {
        double dx = x - cx - shiftX;
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        if (flip) {
          sx = w - 1 - sx;
        }
        out[y * w + x] = plane.sample((float) sx, (float) sy);
      }
    }
    return new Plane(w, h, out);
  }
}
