package org.rheumalens.eval;

/**
 * Agreement between true and predicted ordinal grades: the figures clinicians and the KL literature report.
 *
 * @param n number of cases
 * @param accuracy fraction exactly right
 * @param balancedAccuracy mean of per-grade recalls over grades present in the truth
 * @param quadraticWeightedKappa Cohen's kappa with quadratic disagreement weights
 * @param meanAbsoluteError mean |true - predicted| in grades
 * @param perGradeRecall recall for each grade (NaN where a grade has no true case)
 * @param confusion the confusion matrix
 */
public record GradingMetrics(
    int n,
    double accuracy,
    double balancedAccuracy,
    double quadraticWeightedKappa,
    double meanAbsoluteError,
    double[] perGradeRecall,
    ConfusionMatrix confusion) {

  /** Computes every metric from paired grades in 0..classes-1. */
  public static GradingMetrics compute(int classes, int[] truth, int[] predicted) {
    return of(ConfusionMatrix.of(classes, truth, predicted));
  }

  /**
   * Computes every metric from a confusion matrix alone; every figure here is a function of the counts, which lets
   * the bootstrap refill one matrix per resample instead of copying case arrays. The returned record keeps {@code m}.
   */
  public static GradingMetrics of(ConfusionMatrix m) {
    int classes = m.classes();
    long n = 0;
    long correct = 0;
    long absError = 0;
    double[] recall = new double[classes];
    double recallSum = 0;
    int present = 0;
    for (int k = 0; k < classes; k++) {
      long rowTotal = 0;
      for (int j = 0; j < classes; j++) {
        long c = m.count(k, j);
        rowTotal += c;
        absError += c * Math.abs(k - j);
      }
      n += rowTotal;
      correct += m.count(k, k);
      recall[k] = rowTotal == 0 ? Double.NaN : (double) m.count(k, k) / rowTotal;
      if (rowTotal > 0) {
        recallSum += recall[k];
        present++;
      }
    }
    return new GradingMetrics(
        Math.toIntExact(n),
        n == 0 ? Double.NaN : (double) correct / n,
        present == 0 ? Double.NaN : recallSum / present,
        quadraticWeightedKappa(m),
        n == 0 ? Double.NaN : (double) absError / n,
        recall,
        m);
  }

  /** Quadratic weighted kappa; 1 when the raters agree perfectly and the marginals are not degenerate. */
  public static double quadraticWeightedKappa(ConfusionMatrix m) {
    return Kappa.of(m, Kappa.Weights.QUADRATIC);
  }
}
