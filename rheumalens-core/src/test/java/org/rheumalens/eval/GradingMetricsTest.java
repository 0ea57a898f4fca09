package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GradingMetricsTest {

  private static final int GRADES = 5;

  /** Paired grades of one test set. */
  record Cases(int[] truth, int[] predicted) {
    GradingMetrics metrics() {
      return GradingMetrics.compute(GRADES, truth, predicted);
    }
  }

  @Provide
  Arbitrary<Cases> cases() {
    return Arbitraries.integers().between(1, 200).flatMap(n -> {
      Arbitrary<int[]> grades = grades(n);
      return Combinators.combine(grades, grades).as(Cases::new);
    });
  }

  /** Half of the time the rater agrees exactly, so that "all equal" is not a rare corner. */
  @Provide
  Arbitrary<Cases> sometimesAgreeing() {
    Arbitrary<Cases> agreeing =
        Arbitraries.integers().between(1, 200).flatMap(this::grades).map(t -> new Cases(t, t.clone()));
    return Arbitraries.oneOf(cases(), agreeing);
  }

  @Provide
  Arbitrary<int[]> severalGrades() {
    return Arbitraries.integers().between(2, 200).flatMap(this::grades)
        .filter(t -> Arrays.stream(t).distinct().count() > 1);
  }

  private Arbitrary<int[]> grades(int n) {
    return Arbitraries.integers().between(0, GRADES - 1).array(int[].class).ofSize(n);
  }

  @Property
  void qwkIsOneForPerfectAgreement(@ForAll("severalGrades") int[] truth) {
    assertThat(GradingMetrics.compute(GRADES, truth, truth.clone()).quadraticWeightedKappa()).isEqualTo(1.0);
  }

  @Property
  void qwkIsSymmetricInTruthAndPrediction(@ForAll("cases") Cases c) {
    double forward = c.metrics().quadraticWeightedKappa();
    double backward = GradingMetrics.compute(GRADES, c.predicted(), c.truth()).quadraticWeightedKappa();
    assertThat(backward).isCloseTo(forward, within(1e-12));
  }

  @Property
  void accuraciesLieInUnitInterval(@ForAll("cases") Cases c) {
    GradingMetrics m = c.metrics();
    assertThat(m.accuracy()).isBetween(0.0, 1.0);
    assertThat(m.balancedAccuracy()).isBetween(0.0, 1.0);
  }

  @Property
  void maeIsZeroExactlyWhenEveryGradeIsRight(@ForAll("sometimesAgreeing") Cases c) {
    assertThat(c.metrics().meanAbsoluteError() == 0).isEqualTo(Arrays.equals(c.truth(), c.predicted()));
  }

  /** Accuracy and MAE come from the confusion matrix; check them against the raw cases. */
  @Property
  void accuracyAndMaeMatchTheirDefinitions(@ForAll("cases") Cases c) {
    int n = c.truth().length;
    double right = 0;
    double absError = 0;
    for (int i = 0; i < n; i++) {
      right += c.truth()[i] == c.predicted()[i] ? 1 : 0;
      absError += Math.abs(c.truth()[i] - c.predicted()[i]);
    }
    GradingMetrics m = c.metrics();
    assertThat(m.n()).isEqualTo(n);
    assertThat(m.accuracy()).isCloseTo(right / n, within(1e-12));
    assertThat(m.meanAbsoluteError()).isCloseTo(absError / n, within(1e-12));
  }

  @Property
  void balancedAccuracyIsMeanRecallOverPresentGrades(@ForAll("cases") Cases c) {
    double recallSum = 0;
    int present = 0;
    for (int grade = 0; grade < GRADES; grade++) {
      int cases = 0;
      int right = 0;
      for (int i = 0; i < c.truth().length; i++) {
        if (c.truth()[i] == grade) {
          cases++;
          right += c.predicted()[i] == grade ? 1 : 0;
        }
      }
      double recall = c.metrics().perGradeRecall()[grade];
      if (cases == 0) {
        assertThat(recall).isNaN();
      } else {
        assertThat(recall).isCloseTo((double) right / cases, within(1e-12));
        recallSum += (double) right / cases;
        present++;
      }
    }
    assertThat(c.metrics().balancedAccuracy()).isCloseTo(recallSum / present, within(1e-12));
  }

  /**
   * Quadratic kappa has a closed form on the raw cases, with no confusion matrix or weight table:
   * 1 - n * sum_i (t_i - p_i)^2 / sum_i sum_j (t_i - p_j)^2. An independent check of the matrix formula.
   */
  @Property
  void qwkMatchesPairwiseClosedForm(@ForAll("cases") Cases c) {
    int[] t = c.truth();
    int[] p = c.predicted();
    double observed = 0;
    double chance = 0;
    for (int i = 0; i < t.length; i++) {
      observed += Math.pow(t[i] - p[i], 2);
      for (int j = 0; j < t.length; j++) {
        chance += Math.pow(t[i] - p[j], 2);
      }
    }
    Assume.that(chance > 0);
    assertThat(c.metrics().quadraticWeightedKappa()).isCloseTo(1 - t.length * observed / chance, within(1e-9));
  }

  /**
   * By hand, grades 0..2, weights (i-j)^2/4. Confusion rows [1 1 0], [0 1 1], [0 0 2]; n = 6.
   * Observed weighted disagreement: (1/4 + 1/4) / 6 = 1/12.
   * Row sums 2, 2, 2; column sums 1, 2, 3. Expected: (2/36) * sum_j c_j * sum_i w_ij
   * = (2/36) * (1 * 5/4 + 2 * 1/2 + 3 * 5/4) = (2/36) * 6 = 1/3. Kappa = 1 - (1/12)/(1/3) = 3/4.
   */
  @Example
  void qwkOfHandComputedExample() {
    int[] truth = {0, 0, 1, 1, 2, 2};
    int[] predicted = {0, 1, 1, 2, 2, 2};
    GradingMetrics m = GradingMetrics.compute(3, truth, predicted);
    assertThat(m.quadraticWeightedKappa()).isCloseTo(0.75, within(1e-9));
    assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(m.meanAbsoluteError()).isCloseTo(2.0 / 6, within(1e-12));
    assertThat(m.balancedAccuracy()).isCloseTo((0.5 + 0.5 + 1.0) / 3, within(1e-12));
  }

  @Example
  void gradeOutsideRangeNamesTheCase() {
    assertThatThrownBy(() -> GradingMetrics.compute(5, new int[] {0, 5}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("case 1")
        .hasMessageContaining("0..4");
  }
}
