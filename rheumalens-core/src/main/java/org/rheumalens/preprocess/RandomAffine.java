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
    return plane.warped(angle, scale, shiftX, shiftY, flip);
  }
}
