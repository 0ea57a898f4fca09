package org.rheumalens.eval;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence intervals for the scalar grading metrics: cases are resampled with replacement,
 * so the interval reflects how much the figures would move on another test set of the same size.
 */
public final class Bootstrap {

  public static final int DEFAULT_RESAMPLES = 1000;
  public static final long DEFAULT_SEED = 42L;
  public static final double LEVEL = 0.95;

  private final int resamples;
  private final long seed;

  public Bootstrap(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("bootstrap needs at least one resample, got " + resamples);
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  /** {@value #DEFAULT_RESAMPLES} resamples with the fixed default seed, so reruns report the same interval. */
  public static Bootstrap defaults() {
    return new Bootstrap(DEFAULT_RESAMPLES, DEFAULT_SEED);
  }

  public int resamples() {
    return resamples;
  }

  public long seed() {
    return seed;
  }

  /** 95% intervals for every {@link ScalarMetric} of paired grades in 0..classes-1. */
  public ConfidenceIntervals intervals(int classes, int[] truth, int[] predicted) {
    // Validates lengths and grade ranges once, so the loop below can trust every case.
    ConfusionMatrix.of(classes, truth, predicted);
    int n = truth.length;
    if (n == 0) {
      throw new IllegalArgumentException("no cases to bootstrap");
    }
    ScalarMetric[] metrics = ScalarMetric.values();
    double[][] samples = new double[metrics.length][resamples];
    SplittableRandom random = new SplittableRandom(seed);
    // Every metric is a function of the confusion matrix, so a resample only has to refill one matrix.
    ConfusionMatrix m = new ConfusionMatrix(classes);
    for (int b = 0; b < resamples; b++) {
      m.clear();
      for (int i = 0; i < n; i++) {
        int pick = random.nextInt(n);
        m.add(truth[pick], predicted[pick]);
      }
      GradingMetrics resampled = GradingMetrics.of(m);
      for (int k = 0; k < metrics.length; k++) {
        samples[k][b] = metrics[k].of(resampled);
      }
    }
    Map<ScalarMetric, Interval> intervals = new EnumMap<>(ScalarMetric.class);
    for (int k = 0; k < metrics.length; k++) {
      intervals.put(metrics[k], percentileInterval(samples[k]));
    }
    return new ConfidenceIntervals(LEVEL, resamples, seed, intervals);
  }

  private static Interval percentileInterval(double[] values) {
    // A resample can leave a metric undefined (NaN); it then carries no information about the spread.
    double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (defined.length == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    double tail = (1 - LEVEL) / 2;
    return new Interval(quantile(defined, tail), quantile(defined, 1 - tail));
  }

  /** Linear interpolation between order statistics (numpy's default), so results match a Python cross-check. */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
