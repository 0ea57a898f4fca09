package org.rheumalens.eval;

/**
 * Cohen's kappa for two raters' labels over an ordered list of categories, plain or weighted by how far apart the
 * categories are (rows of the matrix are one rater, columns the other).
 */
public final class Kappa {

  /** How much a disagreement between categories i and j counts; only the ratio of weights matters. */
  public enum Weights {
    /** Cohen's kappa: every disagreement counts the same. */
    UNWEIGHTED,
    /** Disagreement grows with the number of categories between the two labels. */
    LINEAR,
    /** Disagreement grows with the square of that distance (the usual choice for grades, as in QWK). */
    QUADRATIC;

    double of(int i, int j) {
      int d = Math.abs(i - j);
      return switch (this) {
        case UNWEIGHTED -> d == 0 ? 0 : 1;
        case LINEAR -> d;
        case QUADRATIC -> (double) d * d;
      };
    }
  }

  private Kappa() {}

  /**
   * Kappa of the cross-tabulation {@code m}: 1 - observed / chance-expected weighted disagreement. NaN without cases;
   * 1 when both raters put every case in the same single category (no disagreement is possible or seen).
   */
  public static double of(ConfusionMatrix m, Weights weights) {
    int k = m.classes();
    double n = m.total();
    if (n == 0) {
      return Double.NaN;
    }
    double[] rowSums = new double[k];
    double[] colSums = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        rowSums[i] += m.count(i, j);
        colSums[j] += m.count(i, j);
      }
    }
    double observed = 0;
    double expected = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = weights.of(i, j);
        observed += w * m.count(i, j) / n;
        expected += w * rowSums[i] * colSums[j] / (n * n);
      }
    }
    // Expected disagreement is zero only when every case of both raters is in one category, so observed is zero too.
    if (expected == 0) {
      return 1.0;
    }
    return 1 - observed / expected;
  }
}
