package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.SharedData;

/** {@code rheumalens evaluate} on a folder in the layout of val/. */
class EvaluateCommandIT {

  @Test
  void writesMetricsWithIntervalsAndAConfusionMatrixPicture(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    for (int grade = 0; grade < 5; grade++) {
      Path target = Files.createDirectories(data.resolve(Integer.toString(grade)));
      try (var files = Files.list(SharedData.kneeKl().resolve("val").resolve(Integer.toString(grade)))) {
        for (Path f : files.sorted().limit(3).toList()) {
          Files.copy(f, target.resolve(f.getFileName()));
        }
      }
    }
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("evaluate", "--task", "knee-kl", "--data", data.toString(), "--model",
        TinyModel.get().toString(), "--out", out.toString(), "--bootstrap", "200");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("n").asInt()).isEqualTo(15);
    for (String key : new String[] {"accuracy", "balanced_accuracy", "quadratic_weighted_kappa", "mae"}) {
      assertThat(metrics.has(key)).as(key).isTrue();
      JsonNode ci = metrics.get("ci95").get(key);
      assertThat(ci).as("ci95 " + key).hasSize(2);
      assertThat(ci.get(0).asDouble()).isLessThanOrEqualTo(ci.get(1).asDouble());
    }
    assertThat(metrics.get("per_grade_recall")).hasSize(5);
    assertThat(metrics.get("confusion_matrix")).hasSize(5);
    long total = 0;
    for (JsonNode row : metrics.get("confusion_matrix")) {
      assertThat(row).hasSize(5);
      for (JsonNode cell : row) {
        total += cell.asLong();
      }
    }
    assertThat(total).isEqualTo(15);
    assertThat(ImageIO.read(out.resolve("confusion_matrix.png").toFile())).isNotNull();
  }
}
