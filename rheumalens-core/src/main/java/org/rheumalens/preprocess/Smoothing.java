package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * A light Gaussian blur that takes out pixel-level noise (sensor noise, the low bits of a 12- or 16-bit file) before
 * contrast equalisation, which would otherwise amplify it into texture the network reads.
 */
public final class Smoothing implements PlaneTransform {

  private final double sigma;

  public Smoothing(double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("smoothing sigma must be positive, not " + sigma);
    }
    this.sigma = sigma;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    return new Plane(plane.width(), plane.height(),
        GaussianBlur.blur(plane.data(), plane.width(), plane.height(), sigma, sigma));
  }
}
