package org.rheumalens.eval;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence intervals: cases are resampled with replacement, so an interval reflects how much a
 * figure would move on another test set of the same size. Grading metrics have their own entry point; agreement and
 * subgroup statistics use the generic one.
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
    // Validates lengths and grade ranges once, so the statistic below can trust every case.
    ConfusionMatrix.of(classes, truth, predicted);
    ScalarMetric[] metrics = ScalarMetric.values();
    // Every metric is a function of the confusion matrix, so a resample only has to refill one matrix.
    ConfusionMatrix m = new ConfusionMatrix(classes);
    List<Interval> found = intervals(truth.length, picks -> {
      m.clear();
      for (int pick : picks) {
        m.add(truth[pick], predicted[pick]);
      }
      GradingMetrics resampled = GradingMetrics.of(m);
      double[] values = new double[metrics.length];
      for (int k = 0; k < metrics.length; k++) {
        values[k] = metrics[k].of(resampled);
      }
      return values;
    });
    Map<ScalarMetric, Interval> intervals = new EnumMap<>(ScalarMetric.class);
    for (int k = 0; k < metrics.length; k++) {
      intervals.put(metrics[k], found.get(k));
    }
    return new ConfidenceIntervals(LEVEL, resamples, seed, intervals);
  }

  /**
   * 95% percentile intervals for any statistics of {@code n} cases, all taken from the same resamples. Entry i of
   * the result is the interval of entry i of what {@code statistics} returns; a NaN value (the statistic undefined on
   * that resample) is left out of its interval.
   */
  public List<Interval> intervals(int n, Statistics statistics) {
    if (n == 0) {
      throw new IllegalArgumentException("no cases to bootstrap");
    }
    double[][] samples = null;
    SplittableRandom random = new SplittableRandom(seed);
    int[] picks = new int[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        picks[i] = random.nextInt(n);
      }
      double[] values = statistics.of(picks);
      if (samples == null) {
        samples = new double[values.length][resamples];
      } else if (values.length != samples.length) {
        throw new IllegalStateException(
            "a statistic gave " + values.length + " values on one resample and " + samples.length + " on another");
      }
      for (int k = 0; k < values.length; k++) {
        samples[k][b] = values[k];
      }
    }
    return Arrays.stream(samples).map(Bootstrap::percentileInterval).toList();
  }

  /** Statistics of one resample; {@code picks} holds the indices of the drawn cases (repeats allowed). */
  @FunctionalInterface
  public interface Statistics {
    double[] of(int[] picks);
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
