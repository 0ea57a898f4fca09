package org.rheumalens.eval;

/**
 * The two-way ANOVA of numeric scores (rows: subjects, columns: raters) behind Shrout and Fleiss's intraclass
 * correlations (Psychological Bulletin 86:420, 1979), and ICC(2,1) from it.
 *
 * @param subjects number of subjects (rows)
 * @param raters number of raters (columns)
 * @param betweenSubjects BMS, mean square between subjects
 * @param betweenRaters JMS, mean square between raters
 * @param residual EMS, residual mean square
 */
public record IntraclassCorrelation(
    int subjects, int raters, double betweenSubjects, double betweenRaters, double residual) {

  /** The mean squares of {@code scores[subject][rater]}; every subject needs a score from every rater. */
  public static IntraclassCorrelation of(double[][] scores) {
    int n = scores.length;
    if (n < 2) {
      throw new IllegalArgumentException("an intraclass correlation needs at least 2 subjects, got " + n);
    }
    int k = scores[0].length;
    if (k < 2) {
      throw new IllegalArgumentException("an intraclass correlation needs at least 2 raters, got " + k);
    }
    double[] rowMeans = new double[n];
    double[] colMeans = new double[k];
    double grand = 0;
    for (int i = 0; i < n; i++) {
      if (scores[i].length != k) {
        throw new IllegalArgumentException(
            "subject " + i + " has " + scores[i].length + " scores; subject 0 has " + k);
      }
      for (int j = 0; j < k; j++) {
        rowMeans[i] += scores[i][j] / k;
        colMeans[j] += scores[i][j] / n;
        grand += scores[i][j] / ((double) n * k);
      }
    }
    double ssSubjects = 0;
    for (double mean : rowMeans) {
      ssSubjects += k * (mean - grand) * (mean - grand);
    }
    double ssRaters = 0;
    for (double mean : colMeans) {
      ssRaters += n * (mean - grand) * (mean - grand);
    }
    // The residual is summed directly rather than as total minus the rest, which cancels badly for near-equal scores.
    double ssResidual = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double r = scores[i][j] - rowMeans[i] - colMeans[j] + grand;
        ssResidual += r * r;
      }
    }
    return new IntraclassCorrelation(n, k, ssSubjects / (n - 1), ssRaters / (k - 1),
        ssResidual / ((double) (n - 1) * (k - 1)));
  }

  /**
   * ICC(2,1): two-way random effects, absolute agreement, one rater. Systematic differences between raters lower it,
   * which is what agreement (rather than consistency) asks for. NaN when every score is the same.
   */
  public double icc21() {
    double k = raters;
    double denominator = betweenSubjects + (k - 1) * residual + k * (betweenRaters - residual) / subjects;
    return denominator == 0 ? Double.NaN : (betweenSubjects - residual) / denominator;
  }
}
