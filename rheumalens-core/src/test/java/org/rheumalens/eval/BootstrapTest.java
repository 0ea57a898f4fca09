package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootstrapTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void intervalContainsPointEstimate(long dataSeed) {
    SyntheticGrades data = SyntheticGrades.sample(826, dataSeed);
    GradingMetrics point = data.metrics();
    ConfidenceIntervals ci = data.intervals(Bootstrap.defaults());
    for (ScalarMetric metric : ScalarMetric.values()) {
      Interval interval = ci.get(metric);
      assertThat(interval.lower()).as(metric.key()).isLessThan(interval.upper());
      assertThat(interval.contains(metric.of(point))).as(metric.key() + " " + interval).isTrue();
    }
  }

  @Test
  void narrowsWithMoreData() {
    ConfidenceIntervals small = SyntheticGrades.sample(100, 7).intervals(Bootstrap.defaults());
    ConfidenceIntervals large = SyntheticGrades.sample(3000, 7).intervals(Bootstrap.defaults());
    for (ScalarMetric metric : ScalarMetric.values()) {
      // Width shrinks like 1/sqrt(n): 30x the cases should give well under half the width.
      assertThat(large.get(metric).width()).as(metric.key()).isLessThan(0.5 * small.get(metric).width());
    }
  }

  @Test
  void sameSeedGivesSameIntervalsAndAnotherSeedDoesNot() {
    SyntheticGrades data = SyntheticGrades.sample(300, 11);
    ConfidenceIntervals first = data.intervals(new Bootstrap(500, 99));
    ConfidenceIntervals again = data.intervals(new Bootstrap(500, 99));
    ConfidenceIntervals other = data.intervals(new Bootstrap(500, 100));
    assertThat(again).isEqualTo(first);
    assertThat(other.intervals()).isNotEqualTo(first.intervals());
    assertThat(first.resamples()).isEqualTo(500);
    assertThat(first.seed()).isEqualTo(99);
    assertThat(first.level()).isEqualTo(0.95);
  }

  @Test
  void perfectRaterGivesDegenerateIntervalsAtOne() {
    int[] truth = SyntheticGrades.sample(200, 3).truth();
    ConfidenceIntervals ci = Bootstrap.defaults().intervals(5, truth, truth.clone());
    assertThat(ci.get(ScalarMetric.ACCURACY)).isEqualTo(new Interval(1, 1));
    assertThat(ci.get(ScalarMetric.QUADRATIC_WEIGHTED_KAPPA)).isEqualTo(new Interval(1, 1));
    assertThat(ci.get("mae")).isEqualTo(new Interval(0, 0));
  }

  @Test
  void quantileInterpolatesBetweenOrderStatistics() {
    double[] sorted = {1, 2, 3, 4};
    assertThat(Bootstrap.quantile(sorted, 0.5)).isCloseTo(2.5, within(1e-12));
    assertThat(Bootstrap.quantile(sorted, 0.0)).isEqualTo(1);
    assertThat(Bootstrap.quantile(sorted, 1.0)).isEqualTo(4);
    assertThat(Bootstrap.quantile(sorted, 0.025)).isCloseTo(1.075, within(1e-12));
  }

  @Test
  void refusesNothingToResample() {
    assertThatThrownBy(() -> Bootstrap.defaults().intervals(5, new int[0], new int[0]))
        .hasMessageContaining("no cases");
    assertThatThrownBy(() -> new Bootstrap(0, 1)).hasMessageContaining("at least one resample");
  }
}
