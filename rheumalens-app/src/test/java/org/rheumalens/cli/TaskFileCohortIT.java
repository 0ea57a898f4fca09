package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cohort RheumaLens has never seen, brought as a department would: a minimal task file and manifest CSVs of
 * SYNTHETIC ultrasound frames (sizes, aspect ratios, RGB exports with colour overlays, centres, devices). Trained,
 * evaluated by centre and graded through the command line only, as the owners will run real cohorts.
 */
class TaskFileCohortIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path task;
  private static Path model;
  private static CliRun training;

  @BeforeAll
  static void train() throws Exception {
    task = SyntheticUltrasoundCohort.writeTask(dir);
    Path train = SyntheticUltrasoundCohort.writeManifest(dir, "train", 120, 2, 11);
    model = dir.resolve("model");
    training = CliRun.of("train", "--task-file", task.toString(), "--train", train.toString(), "--out",
        model.toString(), "--epochs", "12", "--batch", "16", "--network", "tiny", "--lr", "0.003", "--seed", "7");
  }

  @Test
  void trainsFromATaskFileAndAManifestHoldingOutPatientsForSelection() throws Exception {
    assertThat(training.exitCode()).as(training.err()).isZero();
    JsonNode card = JSON.readTree(model.resolve("model-card.json").toFile());
    assertThat(card.get("taskId").asText()).isEqualTo("us-synovitis");
    // The card keeps the whole task, defaults written out, so the model needs no task file to grade.
    assertThat(card.get("task").get("modality").asText()).isEqualTo("US");
    assertThat(card.get("task").get("geometry").asText()).isEqualTo("letterbox");
    assertThat(card.get("task").get("colour").asText()).isEqualTo("to-grey");
    assertThat(card.get("data").get("val").asText()).contains("held out").contains("grouped by patient");
    List<Integer> heldOut = JSON.convertValue(card.get("data").get("val_rows"), JSON.getTypeFactory()
        .constructCollectionType(List.class, Integer.class));
    // 240 frames, 15% held out: about 36, whole patients (two frames each, on consecutive rows 2k, 2k+1).
    assertThat(heldOut.size()).isBetween(30, 42);
    for (int row : heldOut) {
      int partner = row % 2 == 0 ? row + 1 : row - 1;
      assertThat(heldOut).as("row %d's patient is held out whole", row).contains(partner);
    }
    String markdown = Files.readString(model.resolve("MODEL_CARD.md"));
    assertThat(markdown).contains("--task-file " + task).contains("--train ");
  }

  @Test
  void evaluatesOnAnUnseenManifestWithSubgroupsAndLearntTheTask() throws Exception {
    Path test = SyntheticUltrasoundCohort.writeManifest(dir, "test", 45, 2, 23);
    Path out = dir.resolve("eval");
    CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--out",
        out.toString(), "--by", "centre", "--by", "device", "--bootstrap", "200");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("n").asInt()).isEqualTo(90);
    // Four grades, about a quarter each: a constant answer scores ~0.25 and QWK 0.
    assertThat(metrics.get("accuracy").asDouble()).as(metrics.toString()).isGreaterThan(0.6);
    assertThat(metrics.get("quadratic_weighted_kappa").asDouble()).isGreaterThan(0.6);
    assertThat(metrics.get("outputs").get("synovitis").get("accuracy").asDouble())
        .isEqualTo(metrics.get("accuracy").asDouble());
    JsonNode centres = metrics.get("subgroups").get("centre");
    assertThat(centres.fieldNames()).toIterable().containsExactly("A", "B", "C");
    int total = 0;
    for (JsonNode centre : centres) {
      total += centre.get("n").asInt();
      assertThat(centre.get("ci95").get("accuracy")).hasSize(2);
    }
    assertThat(total).isEqualTo(90);
    assertThat(metrics.get("subgroups").get("device").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("probe-L12", "probe-L18");
  }

  @Test
  void gradesNewFramesWithTheModelAloneIncludingColourExports() throws Exception {
    Path frames = dir.resolve("frames");
    Files.createDirectories(frames);
    var random = new java.util.SplittableRandom(5);
    javax.imageio.ImageIO.write(SyntheticUltrasoundCohort.frame(3, false, true, random), "png",
        frames.resolve("doppler-export.png").toFile());
    javax.imageio.ImageIO.write(SyntheticUltrasoundCohort.frame(0, false, false, random), "png",
        frames.resolve("grey.png").toFile());
    CliRun run = CliRun.of("grade", "--model", model.toString(), "--json", frames.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode result = JSON.readTree(line);
      assertThat(result.has("error")).as(line).isFalse();
      assertThat(result.get("probabilities")).as(line).hasSize(4);
    }
  }

  @Test
  void severalOutputsShareOneBackboneAndEachBeatsAConstantAnswer(@TempDir Path multi) throws Exception {
    Path multiTask = Files.writeString(multi.resolve("task.json"), SyntheticUltrasoundCohort.MULTI_OUTPUT_TASK_JSON);
    Path train = SyntheticUltrasoundCohort.writeManifest(multi, "train", 120, 2, 31);
    Path test = SyntheticUltrasoundCohort.writeManifest(multi, "test", 45, 2, 37);
    Path multiModel = multi.resolve("model");
    CliRun run = CliRun.of("train", "--task-file", multiTask.toString(), "--train", train.toString(), "--out",
        multiModel.toString(), "--epochs", "30", "--batch", "16", "--network", "small", "--lr", "0.003", "--seed", "7");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path out = multi.resolve("eval");
    CliRun evaluation = CliRun.of("evaluate", "--model", multiModel.toString(), "--data", test.toString(), "--out",
        out.toString(), "--bootstrap", "200");
    assertThat(evaluation.exitCode()).as(evaluation.err()).isZero();
    JsonNode outputs = JSON.readTree(out.resolve("metrics.json").toFile()).get("outputs");
    assertThat(outputs.fieldNames()).toIterable().containsExactly("synovitis", "depth", "doppler");
    assertThat(outputs.get("synovitis").get("accuracy").asDouble()).as(outputs.toString()).isGreaterThan(0.6);
    // A constant answer: the mean depth's error, and the commoner Doppler class.
    List<String> rows = Files.readAllLines(test).subList(1, 91);
    double[] depth = rows.stream().mapToDouble(r -> Double.parseDouble(r.split(",")[5])).toArray();
    double mean = java.util.Arrays.stream(depth).average().orElseThrow();
    double constantMae = java.util.Arrays.stream(depth).map(d -> Math.abs(d - mean)).average().orElseThrow();
    assertThat(outputs.get("depth").get("mae").asDouble()).as(outputs.get("depth").toString()).isLessThan(0.6 * constantMae);
    assertThat(outputs.get("depth").get("icc_2_1").asDouble()).isGreaterThan(0.6);
    long present = rows.stream().filter(r -> r.endsWith("present")).count();
    double majority = Math.max(present, 90 - present) / 90.0;
    assertThat(outputs.get("doppler").get("accuracy").asDouble()).isGreaterThan(majority);

    CliRun grading = CliRun.of("grade", "--model", multiModel.toString(), "--json",
        multi.resolve("images/test/test-000-0.png").toString());
    JsonNode result = JSON.readTree(grading.out().lines().findFirst().orElseThrow());
    assertThat(result.get("outputs").get("depth").get("value").asDouble()).isBetween(-1.0, 9.0);
    assertThat(result.get("outputs").get("doppler").get("label").asText()).isIn("absent", "present");
    assertThat(result.get("outputs").get("doppler").get("confidence").asDouble()).isBetween(0.5, 1.0);
    // The secondary class output got its own calibration and triage limits, fitted on val like the grade's.
    JsonNode fitted = JSON.readTree(multiModel.resolve("model-card.json").toFile()).get("oversight").get("outputs");
    assertThat(fitted.get("doppler").get("temperature").asDouble()).isPositive();
    assertThat(fitted.get("doppler").get("triage").get("minConfidence").isNumber()).isTrue();
    // The regression output got a 90% conformal interval and review limits (MC-dropout spread, validated range).
    JsonNode depthOversight = fitted.get("depth").get("regression");
    assertThat(depthOversight.get("halfWidth").asDouble()).as(depthOversight.toString()).isPositive().isLessThan(8.0);
    assertThat(depthOversight.get("valAcceptedShare").asDouble()).isBetween(0.5, 1.0);
    JsonNode depthReading = result.get("outputs").get("depth");
    assertThat(depthReading.get("interval").get(0).asDouble()).isLessThan(depthReading.get("value").asDouble());
    assertThat(depthReading.get("interval").get(1).asDouble() - depthReading.get("interval").get(0).asDouble())
        .isCloseTo(2 * depthOversight.get("halfWidth").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(depthReading.get("spread").asDouble()).isNotNegative();
  }

  @Test
  void aBadManifestIsReportedRowByRowBeforeAnyTraining(@TempDir Path bad) throws Exception {
    Path csv = SyntheticUltrasoundCohort.writeManifest(bad, "bad", 3, 2, 3);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(csv));
    lines.set(2, lines.get(2).replaceFirst(",\\d,", ",7,"));
    lines.set(4, lines.get(4).replaceFirst("^images/bad/[^,]+", "images/bad/missing.png"));
    Files.write(csv, lines);
    Path out = bad.resolve("model");
    CliRun run = CliRun.of("train", "--task-file", task.toString(), "--train", csv.toString(), "--out",
        out.toString(), "--network", "tiny", "--epochs", "1");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("row 3: \"grade\" is \"7\", not one of the task's classes [0, 1, 2, 3]")
        .contains("row 5: image file images/bad/missing.png not found");
    assertThat(out.resolve("model-card.json")).doesNotExist();

    Path noColumn = bad.resolve("nocolumn.csv");
    Files.writeString(noColumn, "image,score\nimages/bad/x.png,1\n");
    CliRun missing = CliRun.of("train", "--task-file", task.toString(), "--train", noColumn.toString(), "--out",
        out.toString(), "--network", "tiny", "--epochs", "1");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("no \"grade\" column for output \"synovitis\"");
  }

  @Test
  void aBrokenTaskFileNamesEveryProblem(@TempDir Path bad) throws Exception {
    Path file = Files.writeString(bad.resolve("t.json"),
        "{\"id\":\"Bad Id\",\"title\":\"t\",\"subject\":\"s\",\"modality\":\"PET\",\"outputs\":[{\"name\":\"g\",\"kind\":\"ordinal\"}]}");
    CliRun run = CliRun.of("train", "--task-file", file.toString(), "--train", file.toString(), "--out",
        bad.resolve("m").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("\"id\" must be").contains("\"modality\" must be one of XR, US, MR, CT")
        .contains("outputs[0].classes must list at least two labels");
    Path unknown = Files.writeString(bad.resolve("u.json"), SyntheticUltrasoundCohort.TASK_JSON.replace("\"title\"", "\"titel\""));
    CliRun typo = CliRun.of("train", "--task-file", unknown.toString(), "--train", file.toString(), "--out",
        bad.resolve("m").toString());
    assertThat(typo.err()).contains("unknown field \"titel\"");
  }
}
