package org.rheumalens.eval;

/**
 * Bland and Altman's agreement of two measurements of the same quantity (Lancet 1986;i:307): the mean difference
 * (first minus second) and the range within which 95% of differences are expected to lie.
 *
 * @param n number of paired measurements
 * @param bias mean of first - second
 * @param sd sample standard deviation of the differences
 * @param lower bias - 1.96 sd
 * @param upper bias + 1.96 sd
 */
public record BlandAltman(int n, double bias, double sd, double lower, double upper) {

  /** The 97.5% point of the standard normal distribution. */
  public static final double Z = 1.96;

  public static BlandAltman of(double[] first, double[] second) {
    if (first.length != second.length) {
      throw new IllegalArgumentException(
          "paired measurements differ in number: " + first.length + " and " + second.length);
    }
    int n = first.length;
    if (n < 2) {
      throw new IllegalArgumentException("limits of agreement need at least 2 paired measurements, got " + n);
    }
    double bias = 0;
    for (int i = 0; i < n; i++) {
      bias += (first[i] - second[i]) / n;
    }
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double d = first[i] - second[i] - bias;
      squares += d * d;
    }
    double sd = Math.sqrt(squares / (n - 1));
    return new BlandAltman(n, bias, sd, bias - Z * sd, bias + Z * sd);
  }
}
