package org.rheumalens.bench;

import java.util.Arrays;

/** Median and 90th percentile of timed runs, in milliseconds; medians because a busy machine adds one-sided outliers. */
public record Latency(double medianMs, double p90Ms) {

  /** The median (mean of the middle two for an even count) and nearest-rank 90th percentile of at least one sample. */
  public static Latency of(double[] samplesMs) {
    double[] s = samplesMs.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Latency(median, percentile(s, 0.9));
  }

  /** The nearest-rank {@code q}-quantile (0 < q <= 1) of samples sorted ascending, at least one. */
  public static double percentile(double[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
