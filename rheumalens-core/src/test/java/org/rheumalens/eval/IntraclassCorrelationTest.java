package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class IntraclassCorrelationTest {

  /** Shrout and Fleiss 1979, Table 2: six targets rated by four judges. */
  private static final double[][] SHROUT_FLEISS = {
    {9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};

  @Example
  void reproducesShroutAndFleiss() {
    IntraclassCorrelation icc = IntraclassCorrelation.of(SHROUT_FLEISS);
    // Their Table 3: BMS 11.24, JMS 32.49, EMS 1.02; and ICC(2,1) = .29.
    assertThat(icc.betweenSubjects()).isCloseTo(11.24, within(0.005));
    assertThat(icc.betweenRaters()).isCloseTo(32.49, within(0.005));
    assertThat(icc.residual()).isCloseTo(1.02, within(0.005));
    assertThat(icc.icc21()).isCloseTo(0.29, within(0.005));
    assertThat(icc.icc21()).isCloseTo(0.28976, within(1e-5));
  }

  @Example
  void aSystematicOffsetLowersAbsoluteAgreement() {
    double[][] same = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}};
    double[][] shifted = {{1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}};
    assertThat(IntraclassCorrelation.of(same).icc21()).isEqualTo(1.0);
    // Perfectly consistent but one rater always scores one higher: BMS 5, JMS 2.5, EMS 0, so 5 / (5 + 2 * 2.5 / 5).
    assertThat(IntraclassCorrelation.of(shifted).icc21()).isCloseTo(5.0 / 6, within(1e-12));
  }

  @Example
  void refusesTooLittleData() {
    assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1, 2}})).hasMessageContaining("2 subjects");
    assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1}, {2}})).hasMessageContaining("2 raters");
    assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1, 2}, {3}}))
        .hasMessageContaining("subject 1 has 1 scores");
  }

  @Provide
  Arbitrary<double[][]> scores() {
    Arbitrary<double[]> row = Arbitraries.doubles().between(-50, 50).ofScale(2).array(double[].class).ofSize(3);
    return row.array(double[][].class).ofMinSize(2).ofMaxSize(40)
        .filter(s -> Arrays.stream(s).flatMapToDouble(Arrays::stream).distinct().count() > 1);
  }

  @Property
  void symmetricInTheRaters(@ForAll("scores") double[][] s) {
    double[][] reversed = Arrays.stream(s).map(r -> new double[] {r[2], r[1], r[0]}).toArray(double[][]::new);
    assertThat(IntraclassCorrelation.of(reversed).icc21())
        .isCloseTo(IntraclassCorrelation.of(s).icc21(), within(1e-9));
  }

  @Property
  void unchangedByUnitsAndOrigin(
      @ForAll("scores") double[][] s,
      @ForAll @DoubleRange(min = 0.01, max = 100) double scale,
      @ForAll @DoubleRange(min = -1000, max = 1000) double shift) {
    double[][] rescaled = Arrays.stream(s).map(r -> Arrays.stream(r).map(v -> scale * v + shift).toArray())
        .toArray(double[][]::new);
    assertThat(IntraclassCorrelation.of(rescaled).icc21())
        .isCloseTo(IntraclassCorrelation.of(s).icc21(), within(1e-6));
  }

  @Property
  void neverAboveOne(@ForAll("scores") double[][] s) {
    assertThat(IntraclassCorrelation.of(s).icc21()).isLessThanOrEqualTo(1.0 + 1e-12);
  }

  @Property
  void oneWhenEveryRaterGivesTheSameScore(@ForAll("scores") double[][] s) {
    double[][] agreed = Arrays.stream(s).map(r -> new double[] {r[0], r[0], r[0]}).toArray(double[][]::new);
    if (Arrays.stream(agreed).mapToDouble(r -> r[0]).distinct().count() > 1) {
      assertThat(IntraclassCorrelation.of(agreed).icc21()).isCloseTo(1.0, within(1e-12));
    }
  }
}
