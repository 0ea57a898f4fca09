package org.rheumalens.eval;

import java.util.Random;

/**
 * A plausible KL test set for tests: grade frequencies like a knee cohort (many 0-2, few 4) and a rater that is
 * usually right and otherwise off by one grade.
 */
record SyntheticGrades(int[] truth, int[] predicted) {

  private static final double[] PREVALENCE = {0.38, 0.18, 0.26, 0.13, 0.05};

  static SyntheticGrades sample(int n, long seed) {
    Random random = new Random(seed);
    int[] truth = new int[n];
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = drawGrade(random);
      double u = random.nextDouble();
      int step = u < 0.65 ? 0 : u < 0.82 ? 1 : u < 0.97 ? -1 : 2;
      predicted[i] = Math.max(0, Math.min(4, truth[i] + step));
    }
    return new SyntheticGrades(truth, predicted);
  }

  private static int drawGrade(Random random) {
    double u = random.nextDouble();
    for (int grade = 0; grade < PREVALENCE.length - 1; grade++) {
      u -= PREVALENCE[grade];
      if (u < 0) {
        return grade;
      }
    }
    return PREVALENCE.length - 1;
  }

  GradingMetrics metrics() {
    return GradingMetrics.compute(5, truth, predicted);
  }

  ConfidenceIntervals intervals(Bootstrap bootstrap) {
    return bootstrap.intervals(5, truth, predicted);
  }
}
