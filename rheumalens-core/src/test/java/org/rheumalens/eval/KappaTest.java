package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KappaTest {

  private static final int CATEGORIES = 4;

  record Ratings(int[] first, int[] second) {
    ConfusionMatrix matrix() {
      return ConfusionMatrix.of(CATEGORIES, first, second);
    }

    ConfusionMatrix transposed() {
      return ConfusionMatrix.of(CATEGORIES, second, first);
    }
  }

  /** Agresti's husband/wife table (vcd's SexualFun); vcd::Kappa reports 0.1293 unweighted, 0.2374 equal-spacing. */
  private static ConfusionMatrix sexualFun() {
    long[][] counts = {{7, 7, 2, 3}, {2, 8, 3, 7}, {1, 5, 4, 9}, {2, 8, 9, 14}};
    ConfusionMatrix m = new ConfusionMatrix(4);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        for (long c = 0; c < counts[i][j]; c++) {
          m.add(i, j);
        }
      }
    }
    return m;
  }

  @Example
  void matchesPublishedValuesForAgrestisTable() {
    ConfusionMatrix m = sexualFun();
    assertThat(Kappa.of(m, Kappa.Weights.UNWEIGHTED)).isCloseTo(0.1293, within(5e-5));
    assertThat(Kappa.of(m, Kappa.Weights.LINEAR)).isCloseTo(0.2374, within(5e-5));
    // No published figure to hand; 0.33205 is numpy's from the same definition with weights (i-j)^2.
    assertThat(Kappa.of(m, Kappa.Weights.QUADRATIC)).isCloseTo(0.33205, within(5e-5));
  }

  /** The two-rater yes/no example of the kappa literature: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no: 0.4. */
  @Example
  void matchesTheTextbookTwoByTwoExample() {
    int[] first = new int[50];
    int[] second = new int[50];
    // Category 1 is "yes": cases 0-19 both yes, 20-24 first only, 25-34 second only, the rest both no.
    Arrays.fill(first, 0, 25, 1);
    Arrays.fill(second, 0, 20, 1);
    Arrays.fill(second, 25, 35, 1);
    assertThat(Kappa.of(ConfusionMatrix.of(2, first, second), Kappa.Weights.UNWEIGHTED)).isCloseTo(0.4, within(1e-12));
  }

  @Example
  void chanceLevelAgreementGivesZero() {
    // Each rater says 0 and 1 equally often, independently: observed agreement equals chance agreement.
    int[] first = {0, 0, 1, 1};
    int[] second = {0, 1, 0, 1};
    for (Kappa.Weights w : Kappa.Weights.values()) {
      assertThat(Kappa.of(ConfusionMatrix.of(2, first, second), w)).as(w.name()).isCloseTo(0, within(1e-12));
    }
  }

  @Example
  void nearMissesCountLessWhenWeighted() {
    // Always one grade apart: no exact agreement, but ordinal weights see the raters as close.
    int[] first = {0, 1, 2, 3, 0, 1, 2, 3};
    int[] second = {1, 2, 3, 2, 1, 0, 1, 2};
    ConfusionMatrix m = ConfusionMatrix.of(4, first, second);
    double plain = Kappa.of(m, Kappa.Weights.UNWEIGHTED);
    double linear = Kappa.of(m, Kappa.Weights.LINEAR);
    double quadratic = Kappa.of(m, Kappa.Weights.QUADRATIC);
    assertThat(plain).isLessThan(linear);
    assertThat(linear).isLessThan(quadratic);
  }

  @Example
  void undefinedWithoutCases() {
    assertThat(Kappa.of(new ConfusionMatrix(3), Kappa.Weights.LINEAR)).isNaN();
  }

  @Provide
  Arbitrary<Ratings> ratings() {
    return Arbitraries.integers().between(1, 150).flatMap(n -> {
      Arbitrary<int[]> labels = Arbitraries.integers().between(0, CATEGORIES - 1).array(int[].class).ofSize(n);
      return Combinators.combine(labels, labels).as(Ratings::new);
    });
  }

  @Property
  void symmetricInTheRaters(@ForAll("ratings") Ratings r, @ForAll Kappa.Weights w) {
    double forward = Kappa.of(r.matrix(), w);
    assertThat(Kappa.of(r.transposed(), w)).isCloseTo(forward, within(1e-12));
  }

  @Property
  void neverAboveOne(@ForAll("ratings") Ratings r, @ForAll Kappa.Weights w) {
    assertThat(Kappa.of(r.matrix(), w)).isLessThanOrEqualTo(1.0 + 1e-12);
  }

  @Property
  void oneForPerfectAgreement(@ForAll("ratings") Ratings r, @ForAll Kappa.Weights w) {
    assertThat(Kappa.of(ConfusionMatrix.of(CATEGORIES, r.first(), r.first().clone()), w)).isEqualTo(1.0);
  }

  @Property
  void anUnusedCategoryAtEitherEndChangesNothing(@ForAll("ratings") Ratings r, @ForAll Kappa.Weights w) {
    int[] first = Arrays.stream(r.first()).map(v -> v + 1).toArray();
    int[] second = Arrays.stream(r.second()).map(v -> v + 1).toArray();
    double widened = Kappa.of(ConfusionMatrix.of(CATEGORIES + 2, first, second), w);
    assertThat(widened).isCloseTo(Kappa.of(r.matrix(), w), within(1e-12));
  }

  @Property
  void quadraticWeightsGiveTheGradingMetricsQwk(@ForAll("ratings") Ratings r) {
    assertThat(Kappa.of(r.matrix(), Kappa.Weights.QUADRATIC))
        .isEqualTo(GradingMetrics.compute(CATEGORIES, r.first(), r.second()).quadraticWeightedKappa());
  }
}
