package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.eval.GradingMetrics;
import org.rheumalens.testing.SharedData;

/** Real DJL training on small subsets of the real knee data: it learns, checkpoints, resumes and repeats itself. */
class TrainingIT {

  /** Three stages of 16-64 filters: big enough to learn from 250 images in a minute on 2 cores. */
  static final NetworkSpec SMALL = new NetworkSpec("resnet-basic", 1, 5, List.of(16, 32, 64), List.of(1, 1, 1), 0f);

  private static TrainingConfig.Builder small(Path out) {
    return TrainingConfig.builder().setData(SharedData.kneeKl()).setOutput(out).optNetwork(SMALL)
        .optBatchSize(16).optLearningRate(2e-3f).optSeed(7);
  }

  @Test
  void smallModelBeatsChanceOnHeldOutImages(@TempDir Path out) throws Exception {
    TrainingResult result = new GradingTrainer(small(out).optMaxPerGrade(50).optMaxValPerGrade(20).optEpochs(8).build(),
        quiet()).train(false);

    GradingMetrics held = result.bestValMetrics();
    // Chance: a constant or random guess has kappa 0; the best constant grade (2) has MAE 1.2 on this balanced set.
    assertThat(held.n()).isEqualTo(100);
    assertThat(held.quadraticWeightedKappa()).as("held-out QWK").isGreaterThan(0.4);
    assertThat(held.meanAbsoluteError()).as("held-out MAE").isLessThan(1.1);
  }

  @Test
  void writesCardAndResumesFromCheckpoint(@TempDir Path out) throws Exception {
    TrainingConfig twoEpochs = tiny(out).optEpochs(2).build();
    new GradingTrainer(twoEpochs, quiet()).train(false);
    assertThat(TrainingState.read(out.resolve(GradingTrainer.CHECKPOINT)).orElseThrow().epochsDone()).isEqualTo(2);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingResult resumed = new GradingTrainer(tiny(out).optEpochs(3).build(), new PrintStream(log, true, StandardCharsets.UTF_8)).train(true);

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming after epoch 2").doesNotContain("epoch 1/3");
    TrainingState state = TrainingState.read(out.resolve(GradingTrainer.CHECKPOINT)).orElseThrow();
    assertThat(state.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
    ModelCard card = resumed.card();
    assertThat(card.data()).containsKeys("sha256_train", "sha256_val", "train_per_grade");
    assertThat((String) card.data().get("sha256_train")).hasSize(64);
    assertThat(card.config().seed()).isEqualTo(7);
    assertThat(card.valMetrics()).containsKeys("accuracy", "quadratic_weighted_kappa", "mae");
    assertThat(card.trainingSeconds()).isPositive();
    assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).contains("Reproduce: `./rheumalens train");
    try (Stream<Path> params = Files.list(out)) {
      assertThat(params.filter(p -> p.toString().endsWith(".params")).toList()).hasSize(1);
    }
  }

  @Test
  void sameSeedGivesTheSameRun(@TempDir Path first, @TempDir Path second) throws Exception {
    TrainingResult a = new GradingTrainer(tiny(first).optEpochs(2).build(), quiet()).train(false);
    TrainingResult b = new GradingTrainer(tiny(second).optEpochs(2).build(), quiet()).train(false);

    assertThat(b.card().history()).extracting(EpochRecord::trainLoss)
        .containsExactlyElementsOf(a.card().history().stream().map(EpochRecord::trainLoss).toList());
    assertThat(Files.readAllBytes(second.resolve("knee-kl-0000.params")))
        .isEqualTo(Files.readAllBytes(first.resolve("knee-kl-0000.params")));
  }

  private static TrainingConfig.Builder tiny(Path out) {
    return small(out).optNetwork(NetworkSpec.tiny(5)).optMaxPerGrade(8).optMaxValPerGrade(4);
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
