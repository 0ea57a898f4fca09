package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.SharedData;

/**
 * The bundled knee model, graded through the generic task seam (built-in task file, task from the card, generic
 * reader and grader), gives on val exactly what its card recorded before tasks were files: 0.637 / QWK 0.786.
 */
class KneeThroughTheTaskSeamIT {

  @Test
  void theBundledKneeModelScoresAsItsCardSaysOnVal(@TempDir Path dir) throws Exception {
    Path val = SharedData.kneeKl().resolve("val");
    CliRun run = CliRun.of("evaluate", "--data", val.toString(), "--out", dir.toString(), "--bootstrap", "100");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    JsonNode card = new ObjectMapper().readTree(
        Path.of(System.getenv().getOrDefault("RHEUMALENS_HOME", "..")).resolve("models/knee-kl/model-card.json").toFile());
    assertThat(metrics.get("n").asInt()).isEqualTo(826);
    assertThat(metrics.get("accuracy").asDouble()).isCloseTo(card.get("valMetrics").get("accuracy").asDouble(), within(1e-9));
    assertThat(metrics.get("quadratic_weighted_kappa").asDouble())
        .isCloseTo(card.get("valMetrics").get("quadratic_weighted_kappa").asDouble(), within(1e-9));
    assertThat(metrics.get("accuracy").asDouble()).isCloseTo(0.637, within(0.0005));
    assertThat(metrics.get("quadratic_weighted_kappa").asDouble()).isCloseTo(0.786, within(0.0005));
  }
}
