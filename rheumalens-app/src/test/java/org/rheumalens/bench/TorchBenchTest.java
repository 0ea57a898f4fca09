package org.rheumalens.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rheumalens.ml.NetworkSpec;

class TorchBenchTest {

  @Test
  void theShippedScriptBuildsAndTimesTheNetworkWhereTorchIsInstalled() {
    BenchSettings once = new BenchSettings(0, 1, 1, 2, 0, 1);
    TorchTimings timings = new TorchBench(new PrintStream(new ByteArrayOutputStream()))
        .measure(NetworkSpec.tiny(5), 64, 1, 1e-3f, 1e-4f, once);
    Assumptions.assumeFalse(timings.status().startsWith("unavailable: no python3"), timings.status());
    assertThat(timings.status()).isEqualTo("measured");
    assertThat(timings.modelMsMedian()).isPositive();
    assertThat(timings.trainStepMsMedian()).isPositive();
    assertThat(timings.threads()).isEqualTo(1);
    assertThat(timings.torchVersion()).isNotBlank();
  }
}
