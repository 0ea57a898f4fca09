package org.rheumalens.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The conformal interval covers what it claims on new data, and the review limits pick out the worse values. */
class RegressionOversightTest {

  @Test
  void theIntervalCoversNinetyPercentOfNewTruthsAndUnsureValuesAreReviewed() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 2000;
    double[][] val = sample(random, n);
    RegressionOversight fitted = RegressionOversight.fit(val[0], val[1], val[2], 0.9);
    double[][] test = sample(random, n);
    int covered = 0;
    double acceptedError = 0;
    double reviewedError = 0;
    int accepted = 0;
    for (int i = 0; i < n; i++) {
      double[] interval = fitted.interval(test[0][i]);
      covered += test[1][i] >= interval[0] && test[1][i] <= interval[1] ? 1 : 0;
      double error = Math.abs(test[0][i] - test[1][i]);
      if (fitted.reasons(test[0][i], test[2][i]).isEmpty()) {
        accepted++;
        acceptedError += error;
      } else {
        reviewedError += error;
      }
    }
    assertThat(covered / (double) n).isBetween(0.87, 0.93);
    assertThat(accepted / (double) n).isBetween(0.85, 0.95);
    // Errors grow with the spread here, as they do when the network is unsure: the reviewed tenth is the worse one.
    assertThat(reviewedError / (n - accepted)).isGreaterThan(2 * acceptedError / accepted);
    assertThat(fitted.valReviewedMae()).isGreaterThan(fitted.valAcceptedMae());
  }

  @Test
  void aValueOutsideWhatValHeldIsReviewed() {
    RegressionOversight fitted = RegressionOversight.fit(new double[] {1, 2, 3, 4}, new double[] {1.1, 2.1, 2.9, 4.2},
        new double[] {0.1, 0.1, 0.1, 0.1}, 0.9);
    assertThat(fitted.reasons(2.5, 0.1)).isEmpty();
    assertThat(fitted.reasons(9, 0.1)).containsExactly(RegressionOversight.OUTSIDE_VALIDATED_RANGE);
    assertThat(fitted.reasons(2.5, 0.5)).containsExactly(RegressionOversight.UNSURE_VALUE);
    assertThatThrownBy(() -> RegressionOversight.fit(new double[0], new double[0], new double[0], 0.9))
        .hasMessageContaining("regression oversight");
  }

  /** Predictions, truths and spreads where the error's size follows the spread. */
  private static double[][] sample(SplittableRandom random, int n) {
    double[][] out = new double[3][n];
    for (int i = 0; i < n; i++) {
      double truth = random.nextDouble() * 8;
      double spread = 0.05 + random.nextDouble() * random.nextDouble() * 0.5;
      out[0][i] = truth + spread * 3 * random.nextGaussian();
      out[1][i] = truth;
      out[2][i] = spread;
    }
    return out;
  }
}
