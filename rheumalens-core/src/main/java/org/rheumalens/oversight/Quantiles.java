package org.rheumalens.oversight;

/** Linear-interpolation quantiles of sorted data (NumPy's default). */
public final class Quantiles {

  private Quantiles() {}

  /** The p-quantile of unsorted values (sorts a copy). */
  public static double ofUnsorted(double[] values, double p) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return of(sorted, p);
  }

  /** The p-quantile of values already sorted ascending. */
  public static double of(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double position = p * (sorted.length - 1);
    int lo = (int) Math.floor(position);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
  }
}
