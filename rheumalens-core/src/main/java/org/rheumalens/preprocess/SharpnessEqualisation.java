package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Brings every image to one sharpness. Archives differ in how sharp they store a film (detector, resampling, a
 * sharpening or softening filter), and a grader reads a softer copy of a knee as a worse knee. The step measures the
 * image's fine detail (what a Gaussian of {@code FINE_SIGMA} takes out) against its mid-scale detail (the band from
 * {@code FINE_SIGMA} to {@code MID_SIGMA}); a softened copy has less of the first relative to the second, whatever its
 * contrast. The fine band is then scaled so that this ratio is {@code target}: an unsharp mask for a soft image, a
 * light blur for an over-sharpened one. The gain stays within [{@code MIN_GAIN}, {@code MAX_GAIN}] so that a flat or
 * noisy image is not driven to extremes.
 */
public final class SharpnessEqualisation implements PlaneTransform {

  static final double FINE_SIGMA = 1.0;
  static final double MID_SIGMA = 3.0;
  static final double MIN_GAIN = 0.5;
  static final double MAX_GAIN = 2.5;
  /** Border pixels left out of the measurement, where the blur's clamped edges would bias it. */
  private static final int MARGIN = 8;

  private final double target;

  /** @param target the fine-to-mid detail ratio every image is brought to (the training images' median) */
  public SharpnessEqualisation(double target) {
    if (!(target > 0)) {
      throw new IllegalArgumentException("sharpness target must be positive, not " + target);
    }
    this.target = target;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    int w = plane.width();
    int h = plane.height();
    float[] d = plane.data();
    float[] fineLow = GaussianBlur.blur(d, w, h, FINE_SIGMA, FINE_SIGMA);
    double ratio = detailRatio(d, fineLow, GaussianBlur.blur(d, w, h, MID_SIGMA, MID_SIGMA), w, h);
    double gain = Double.isFinite(ratio) && ratio > 0 ? Math.max(MIN_GAIN, Math.min(MAX_GAIN, target / ratio)) : 1;
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) (fineLow[i] + gain * (d[i] - fineLow[i]));
    }
    return new Plane(w, h, out);
  }

  /** The image's fine-to-mid detail ratio (root mean square of each band); NaN where the image has no mid detail. */
  public static double detailRatio(Plane plane) {
    int w = plane.width();
    int h = plane.height();
    float[] d = plane.data();
    return detailRatio(d, GaussianBlur.blur(d, w, h, FINE_SIGMA, FINE_SIGMA),
        GaussianBlur.blur(d, w, h, MID_SIGMA, MID_SIGMA), w, h);
  }

  private static double detailRatio(float[] d, float[] fineLow, float[] midLow, int w, int h) {
    int margin = Math.min(MARGIN, Math.min(w, h) / 4);
    double fine = 0;
    double mid = 0;
    for (int y = margin; y < h - margin; y++) {
      for (int x = margin; x < w - margin; x++) {
        int i = y * w + x;
        double f = d[i] - fineLow[i];
        double m = fineLow[i] - midLow[i];
        fine += f * f;
        mid += m * m;
      }
    }
    return mid > 0 ? Math.sqrt(fine / mid) : Double.NaN;
  }
}
