package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.SharedData;

class BenchCommandIT {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  void quickJsonRunMeasuresEverythingAndRecordsIt(@TempDir Path tmp) throws Exception {
    Path data = SharedData.kneeKl();
    Path model = TinyModel.get();
    Path results = tmp.resolve("results");

    CliRun run = CliRun.of("bench", "--quick", "--json", "--python", "off",
        "--model", model.toString(), "--images", data.resolve("val").toString(), "--results", results.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String stdout = run.out();

    JsonNode report = JSON.readTree(stdout); // the whole of stdout is one JSON object
    for (String key : List.of("grade_ms_median", "grade_ms_p90", "grade_plain_ms_median", "grade_gradcam_ms_median",
        "grade_occlusion_ms_median", "model_ms_median", "batch_images_per_s",
        "train_step_ms_median", "train_images_per_s")) {
      assertThat(report.path(key).isNumber()).as(key).isTrue();
      assertThat(report.path(key).asDouble()).as(key).isPositive();
    }
    assertThat(report.path("python_status").asText()).isEqualTo("off");
    assertThat(report.path("java_over_python_inference").isNull()).isTrue();
    assertThat(report.path("environment").path("cores").asInt()).isPositive();
    assertThat(report.path("settings").path("batch_size").asInt()).isEqualTo(32);
    try (Stream<Path> files = Files.list(results)) {
      List<Path> written = files.toList();
      assertThat(written).singleElement().satisfies(f -> {
        assertThat(f.getFileName().toString()).startsWith("bench-").endsWith(".json");
        assertThat(JSON.readTree(f.toFile())).isEqualTo(report);
      });
    }
  }
}
