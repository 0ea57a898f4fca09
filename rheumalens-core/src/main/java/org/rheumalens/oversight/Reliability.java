package org.rheumalens.oversight;

import java.util.List;

/**
 * A reliability table: confidences in equal-width bins, with each bin's mean confidence and observed accuracy.
 * Expected calibration error is the count-weighted mean gap between the two (Naeini et al. 2015).
 *
 * @param bins from lowest to highest confidence
 * @param ece expected calibration error
 */
public record Reliability(List<Bin> bins, double ece) {

  /** One confidence bin; empty bins have count 0 and NaN means. */
  public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {}

  public static final int DEFAULT_BINS = 15;

  public static Reliability of(double[] confidence, boolean[] correct, int binCount) {
    if (confidence.length != correct.length || confidence.length == 0) {
      throw new IllegalArgumentException("need one correctness flag per confidence, and at least one");
    }
    int[] count = new int[binCount];
    double[] confSum = new double[binCount];
    double[] hits = new double[binCount];
    for (int i = 0; i < confidence.length; i++) {
      int b = Math.min(binCount - 1, (int) (confidence[i] * binCount));
      count[b]++;
      confSum[b] += confidence[i];
      hits[b] += correct[i] ? 1 : 0;
    }
    Bin[] bins = new Bin[binCount];
    double ece = 0;
    for (int b = 0; b < binCount; b++) {
      double meanConf = count[b] == 0 ? Double.NaN : confSum[b] / count[b];
      double accuracy = count[b] == 0 ? Double.NaN : hits[b] / count[b];
      bins[b] = new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b], meanConf, accuracy);
      if (count[b] > 0) {
        ece += (double) count[b] / confidence.length * Math.abs(accuracy - meanConf);
      }
    }
    return new Reliability(List.of(bins), ece);
  }
}
