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

class BlandAltmanTest {

  /** Bland and Altman 1986, Table 1: peak flow (l/min) by the large Wright meter and the mini meter, first reading. */
  private static final double[] WRIGHT =
      {494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427};
  private static final double[] MINI =
      {512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451};

  @Example
  void reproducesThePeakFlowExample() {
    BlandAltman ba = BlandAltman.of(WRIGHT, MINI);
    // The paper: mean difference -2.1 l/min, SD 38.8 (its limits use 2 SD; ours 1.96 SD).
    assertThat(ba.n()).isEqualTo(17);
    assertThat(ba.bias()).isCloseTo(-2.1, within(0.05));
    assertThat(ba.sd()).isCloseTo(38.8, within(0.05));
    assertThat(ba.lower()).isCloseTo(ba.bias() - 1.96 * ba.sd(), within(1e-9));
    assertThat(ba.upper()).isCloseTo(-2.1176 + 1.96 * 38.7651, within(1e-3));
  }

  @Example
  void refusesUnpairedOrTooFew() {
    assertThatThrownBy(() -> BlandAltman.of(new double[] {1, 2}, new double[] {1})).hasMessageContaining("2 and 1");
    assertThatThrownBy(() -> BlandAltman.of(new double[] {1}, new double[] {1})).hasMessageContaining("at least 2");
  }

  @Provide
  Arbitrary<double[][]> pairs() {
    return Arbitraries.integers().between(2, 60).flatMap(n -> {
      Arbitrary<double[]> values = Arbitraries.doubles().between(-100, 100).array(double[].class).ofSize(n);
      return values.list().ofSize(2).map(l -> new double[][] {l.get(0), l.get(1)});
    });
  }

  @Property
  void swappingTheMethodsNegatesTheBiasAndKeepsTheSpread(@ForAll("pairs") double[][] p) {
    BlandAltman forward = BlandAltman.of(p[0], p[1]);
    BlandAltman backward = BlandAltman.of(p[1], p[0]);
    assertThat(backward.bias()).isCloseTo(-forward.bias(), within(1e-9));
    assertThat(backward.sd()).isCloseTo(forward.sd(), within(1e-9));
    assertThat(backward.lower()).isCloseTo(-forward.upper(), within(1e-9));
  }

  @Property
  void aConstantOffsetMovesOnlyTheBias(@ForAll("pairs") double[][] p) {
    double[] shifted = Arrays.stream(p[0]).map(v -> v + 7).toArray();
    BlandAltman before = BlandAltman.of(p[0], p[1]);
    BlandAltman after = BlandAltman.of(shifted, p[1]);
    assertThat(after.bias()).isCloseTo(before.bias() + 7, within(1e-9));
    assertThat(after.sd()).isCloseTo(before.sd(), within(1e-9));
  }
}
