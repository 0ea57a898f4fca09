package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-joint scoring summed per patient, as Sharp/van der Heijde scoring does, on SYNTHETIC joint crops: one network
 * reads narrowing (0-4) and erosion (0-5) of each crop; evaluate reports them by joint and adds them up per patient.
 */
class JointScoresIT {

  @Test
  void jointScoresSumToPatientTotalsThatAgreeWithTheTruth(@TempDir Path dir) throws Exception {
    Path task = Files.writeString(dir.resolve("task.json"), SyntheticJointCrops.TASK_JSON);
    Path train = SyntheticJointCrops.writeManifest(dir, "train", 60, 5);
    Path test = SyntheticJointCrops.writeManifest(dir, "test", 20, 6);
    Path model = dir.resolve("model");
    CliRun training = CliRun.of("train", "--task-file", task.toString(), "--train", train.toString(), "--out",
        model.toString(), "--epochs", "30", "--network", "small", "--lr", "0.003", "--seed", "3");
    assertThat(training.exitCode()).as(training.err()).isZero();
    Path out = dir.resolve("eval");
    CliRun evaluation = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--out",
        out.toString(), "--by", "joint", "--sum-by", "patient", "--bootstrap", "200");
    assertThat(evaluation.exitCode()).as(evaluation.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("subgroups").get("joint").size()).isEqualTo(8);
    JsonNode totals = metrics.get("totals");
    assertThat(totals.get("groups").asInt()).isEqualTo(20);
    // Per-patient totals of 8 joints: narrowing 0-32, erosion 0-40, together 0-72.
    assertThat(totals.get("outputs").get("narrowing").get("icc_2_1").asDouble()).as(totals.toString()).isGreaterThan(0.8);
    assertThat(totals.get("outputs").get("erosion").get("icc_2_1").asDouble()).as(totals.toString()).isGreaterThan(0.8);
    assertThat(totals.get("total").get("icc_2_1").asDouble()).isGreaterThan(0.85);
    assertThat(metrics.get("outputs").get("erosion").get("quadratic_weighted_kappa").asDouble()).isGreaterThan(0.7);
  }
}
