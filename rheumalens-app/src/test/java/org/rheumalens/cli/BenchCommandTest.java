package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;

class BenchCommandTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  void quickJsonRunMeasuresEverythingAndRecordsIt(@TempDir Path tmp) throws Exception {
    Path data = Path.of(System.getenv().getOrDefault("RHEUMALENS_SHARED", "../shared")).resolve("data/knee-kl");
    Assumptions.assumeTrue(Files.isDirectory(data.resolve("train")) && Files.isDirectory(data.resolve("val")),
        "shared knee data not found at " + data);
    Path model = tmp.resolve("model");
    new GradingTrainer(TrainingConfig.builder().setData(data).setOutput(model).optNetwork(NetworkSpec.tiny(5))
        .optMaxPerGrade(4).optMaxValPerGrade(2).optEpochs(1).optBatchSize(8).build(), System.err).train(false);
    Path results = tmp.resolve("results");

    String stdout = captureStdout(() -> assertThat(RheumaLensCli.run("bench", "--quick", "--json", "--python", "off",
        "--model", model.toString(), "--images", data.resolve("val").toString(), "--results", results.toString()))
        .isZero());

    JsonNode report = JSON.readTree(stdout); // the whole of stdout is one JSON object
    for (String key : List.of("grade_ms_median", "grade_ms_p90", "model_ms_median", "batch_images_per_s",
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

  private static String captureStdout(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
