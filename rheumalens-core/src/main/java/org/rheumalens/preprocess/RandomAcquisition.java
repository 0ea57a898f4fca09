package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Training augmentation for how a radiograph was acquired and stored, not how it was framed. The shared crops are all
 * contrast-enhanced; clinical files are not. With probability {@code unEnhanceProbability} a crop is made to look
 * un-enhanced (detail around a Gaussian of random width damped, the large-scale range compressed, an exposure gradient
 * across the film) and stretched to its 0.5-99.5 percentiles as inference windows a raw file. Then every crop gets a
 * random gamma, sensor noise and quantisation to a random bit depth, so that the grade cannot hinge on sub-grey-level
 * detail that storage changes. Runs before CLAHE, like the inference path it imitates.
 */
public final class RandomAcquisition implements PlaneTransform {

  private final double unEnhanceProbability;
  private final double maxLogGamma;
  private final double maxNoise;
  private final int minBits;
  private final int maxBits;

  /**
   * @param unEnhanceProbability share of crops made to look raw (0..1)
   * @param maxLogGamma gamma is exp(u), u uniform in +-maxLogGamma
   * @param maxNoise Gaussian noise sd uniform in [0, maxNoise] (fraction of full range)
   * @param minBits fewest bits a crop is quantised to
   * @param maxBits most bits
   */
  public RandomAcquisition(double unEnhanceProbability, double maxLogGamma, double maxNoise, int minBits, int maxBits) {
    if (unEnhanceProbability < 0 || unEnhanceProbability > 1 || maxNoise < 0 || minBits < 1 || maxBits < minBits
        || maxBits > 16) {
      throw new IllegalArgumentException("bad acquisition augmentation settings");
    }
    this.unEnhanceProbability = unEnhanceProbability;
    this.maxLogGamma = maxLogGamma;
    this.maxNoise = maxNoise;
    this.minBits = minBits;
    this.maxBits = maxBits;
  }

  /** The settings issue 3's training uses: half the crops un-enhanced, gamma x/÷1.35, noise up to 1%, 8-12 bits. */
  public static RandomAcquisition standard() {
    return new RandomAcquisition(0.5, 0.3, 0.01, 8, 12);
  }

  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "acquisition(un-enhance p=%.2f, gamma x/÷%.2f, noise sd <= %.3f, %d-%d bits)",
        unEnhanceProbability, Math.exp(maxLogGamma), maxNoise, minBits, maxBits);
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    int w = plane.width();
    int h = plane.height();
    float[] v = plane.data().clone();
    if (random.nextDouble() < unEnhanceProbability) {
      v = IntensityWindow.standard().stretch(new Plane(w, h, unEnhance(v, w, h, random))).data();
    }
    double gamma = Math.exp((random.nextDouble() * 2 - 1) * maxLogGamma);
    double noise = random.nextDouble() * maxNoise;
    int levels = (1 << (minBits + random.nextInt(maxBits - minBits + 1))) - 1;
    for (int i = 0; i < v.length; i++) {
      double x = Math.pow(Math.max(0f, v[i]), gamma) + noise * random.nextGaussian();
      x = x < 0 ? 0 : x > 1 ? 1 : x;
      v[i] = (float) (Math.round(x * levels) / (double) levels);
    }
    return new Plane(w, h, v);
  }

  /** Detail damped to 25-100%, background range compressed to 30-100%, a gradient of up to 15% along one axis. */
  private static float[] unEnhance(float[] s, int w, int h, RandomGenerator random) {
    double sigma = 6 + random.nextDouble() * 12;
    double background = 0.3 + random.nextDouble() * 0.7;
    double detail = 0.25 + random.nextDouble() * 0.75;
    double gradient = (random.nextDouble() * 2 - 1) * 0.15;
    boolean alongX = random.nextBoolean();
    float[] low = GaussianBlur.blur(s, w, h, sigma, sigma);
    float[] out = new float[s.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double ramp = alongX ? (double) x / w - 0.5 : (double) y / h - 0.5;
        out[i] = (float) (background * low[i] + detail * (s[i] - low[i]) + gradient * ramp);
      }
    }
    return out;
  }
}
