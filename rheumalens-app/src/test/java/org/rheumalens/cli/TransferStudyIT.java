package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;

/**
 * Study (not part of the suite): a new task trained from scratch against one started from the bundled knee network
 * ({@code --init-from}), on SYNTHETIC ultrasound cohorts of two sizes, scored on the same unseen frames. Run with
 * {@code mvn -o -pl rheumalens-app verify -Dit.test=TransferStudyIT -Drheumalens.study=transfer}; the record goes to
 * {@code bench/results/transfer-<time>.json} and docs/tasks.md.
 */
class TransferStudyIT {

  @Test
  void scratchAgainstTransferFromTheKneeNetwork(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue("transfer".equals(System.getProperty("rheumalens.study")),
        "a study: run with -Drheumalens.study=transfer");
    Path knee = ModelLocation.bundled("knee-kl");
    String task = SyntheticUltrasoundCohort.TASK_JSON.replace("\"size\":96", "\"size\":160");
    Path taskFile = Files.writeString(dir.resolve("task.json"), task);
    Path test = SyntheticUltrasoundCohort.writeManifest(dir, "test", 60, 2, 101);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int patients : new int[] {30, 120}) {
      Path train = SyntheticUltrasoundCohort.writeManifest(dir, "train" + patients, patients, 2, 200 + patients);
      for (boolean transfer : new boolean[] {false, true}) {
        Path model = dir.resolve("model-" + patients + "-" + transfer);
        List<String> args = new ArrayList<>(List.of("train", "--task-file", taskFile.toString(), "--train",
            train.toString(), "--out", model.toString(), "--epochs", "20", "--seed", "7"));
        if (transfer) {
          args.addAll(List.of("--init-from", knee.toString()));
        }
        long start = System.nanoTime();
        CliRun run = CliRun.of(args.toArray(String[]::new));
        double minutes = (System.nanoTime() - start) / 60e9;
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path out = dir.resolve("eval-" + patients + "-" + transfer);
        CliRun evaluation = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--out",
            out.toString(), "--bootstrap", "500");
        assertThat(evaluation.exitCode()).as(evaluation.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("train_frames", patients * 2);
        row.put("start", transfer ? "knee-kl network (--init-from)" : "scratch");
        row.put("accuracy", m.get("accuracy").asDouble());
        row.put("accuracy_ci95", m.get("ci95").get("accuracy"));
        row.put("quadratic_weighted_kappa", m.get("quadratic_weighted_kappa").asDouble());
        row.put("mae", m.get("mae").asDouble());
        row.put("training_minutes", minutes);
        rows.add(row);
        System.out.println("transfer study: " + row);
      }
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("study", "scratch vs --init-from the bundled knee network, synthetic ultrasound synovitis 0-3, input 160,"
        + " resnet18-half, 20 epochs, seed 7; test: 120 unseen frames");
    record.put("rows", rows);
    Path results = Files.createDirectories(ModelLocation.home().resolve("bench").resolve("results"));
    Path file = results.resolve("transfer-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), record);
    System.out.println("transfer study written to " + file);
  }
}
