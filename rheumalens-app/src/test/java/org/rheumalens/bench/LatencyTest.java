package org.rheumalens.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void oddCountTakesTheMiddleSample() {
    Latency l = Latency.of(new double[] {9, 1, 5});
    assertThat(l.medianMs()).isEqualTo(5);
    assertThat(l.p90Ms()).isEqualTo(9);
  }

  @Test
  void evenCountAveragesTheMiddleTwoAndP90IsNearestRank() {
    Latency l = Latency.of(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    assertThat(l.medianMs()).isEqualTo(5.5);
    assertThat(l.p90Ms()).isEqualTo(9);
  }

  @Test
  void leavesTheSamplesUnsorted() {
    double[] samples = {3, 1, 2};
    Latency.of(samples);
    assertThat(samples).containsExactly(3, 1, 2);
  }
}
