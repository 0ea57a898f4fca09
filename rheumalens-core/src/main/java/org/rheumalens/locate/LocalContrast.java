package org.rheumalens.locate;

import org.rheumalens.preprocess.GaussianBlur;
import org.rheumalens.preprocess.Plane;

/**
 * Local contrast normalisation: each pixel minus its neighbourhood's mean, over its neighbourhood's standard
 * deviation (Gaussian neighbourhood, sigma an eighth of the knee size). Like CLAHE it removes exposure, windowing and
 * contrast processing, so the enhanced training crops and a raw radiograph look alike to the matcher.
 */
final class LocalContrast {

  private LocalContrast() {}

  static Plane normalise(Plane plane, int kneeSize) {
    double sigma = kneeSize / 8.0;
    int w = plane.width();
    int h = plane.height();
    float[] d = plane.data();
    float[] mean = blur(d, w, h, sigma);
    float[] sq = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      sq[i] = d[i] * d[i];
    }
    float[] meanSq = blur(sq, w, h, sigma);
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      double variance = Math.max(0, meanSq[i] - mean[i] * mean[i]);
      out[i] = (float) ((d[i] - mean[i]) / (Math.sqrt(variance) + 0.02));
    }
    return new Plane(w, h, out);
  }

  private static float[] blur(float[] d, int w, int h, double sigma) {
    return GaussianBlur.blur(d, w, h, sigma, sigma);
  }
}
