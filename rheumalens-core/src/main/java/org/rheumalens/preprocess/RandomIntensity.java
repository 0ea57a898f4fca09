package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Training augmentation for exposure and processing differences: random gamma, then contrast and brightness about
 * mid-grey. Applied before CLAHE so the model learns from what CLAHE makes of differently processed inputs.
 */
public final class RandomIntensity implements PlaneTransform {

  private final double maxLogGamma;
  private final double maxContrastDelta;
  private final double maxBrightnessDelta;

  public RandomIntensity(double maxLogGamma, double maxContrastDelta, double maxBrightnessDelta) {
    this.maxLogGamma = maxLogGamma;
    this.maxContrastDelta = maxContrastDelta;
    this.maxBrightnessDelta = maxBrightnessDelta;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    double gamma = Math.exp((random.nextDouble() * 2 - 1) * maxLogGamma);
    double contrast = 1 + (random.nextDouble() * 2 - 1) * maxContrastDelta;
    double brightness = (random.nextDouble() * 2 - 1) * maxBrightnessDelta;
    float[] in = plane.data();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      double v = Math.pow(Math.max(in[i], 0f), gamma);
      v = (v - 0.5) * contrast + 0.5 + brightness;
      out[i] = (float) (v < 0 ? 0 : v > 1 ? 1 : v);
    }
    return new Plane(plane.width(), plane.height(), out);
  }
}
