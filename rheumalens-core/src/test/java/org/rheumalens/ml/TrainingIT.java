package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
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

  /** A run carried to another machine under runs/ holds its checkpoint only, not its best epoch's weights. */
  @Test
  void resumesFromTheCheckpointAloneWhenTheBestWeightsStayedBehind(@TempDir Path out) throws Exception {
    new GradingTrainer(tiny(out).optEpochs(2).build(), quiet()).train(false);
    Files.delete(out.resolve("knee-kl-0000.params"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingResult resumed = new GradingTrainer(tiny(out).optEpochs(3).build(),
        new PrintStream(log, true, StandardCharsets.UTF_8)).train(true);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("selection starts again from epoch 3");
    assertThat(resumed.card().bestEpoch()).isEqualTo(3);
    assertThat(out.resolve("knee-kl-0000.params")).exists();
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

  @Test
  void consistencyTrainingOnCropsAndTheirArchiveCopiesStillLearnsTheGrades(@TempDir Path out) throws Exception {
    // Each step grades 16 crops and their 16 archive copies (mixed with the same partners) and adds the divergence
    // between each pair's distributions: the network must still learn the grades, and the card must say how.
    TrainingResult result = new GradingTrainer(small(out).optMaxPerGrade(50).optMaxValPerGrade(20).optEpochs(8)
        .optConsistency(1.0).optMixup(0.3).optNeighbourSmoothing(0.1).optNormalisation("flat-equalised").build(),
        quiet()).train(false);

    assertThat(result.bestValMetrics().quadraticWeightedKappa()).as("held-out QWK").isGreaterThan(0.3);
    assertThat(result.card().config().consistencyWeight()).isEqualTo(1.0);
    assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).contains("--consistency 1.0").contains("--mixup 0.3");
    assertThat(ModelCard.read(out).config().consistencyWeight()).isEqualTo(1.0);
  }

  @Test
  void studentLearnsTheGradesFromATeachersSoftTargetsAlone(@TempDir Path teacherDir, @TempDir Path studentDir)
      throws Exception {
    new GradingTrainer(small(teacherDir).optMaxPerGrade(50).optMaxValPerGrade(20).optEpochs(8).build(), quiet())
        .train(false);
    // Weight 1: the student never sees a true grade, only the teacher's distribution for each image (mirrored
    // averaging included) while it trains on augmented, acquisition-jittered copies. If the targets were not the
    // teacher's view of the same images, it would learn nothing about the grades. The student also learns on another
    // normalisation than the teacher's, so the teacher must be shown its inputs the way it was trained.
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingResult student = new GradingTrainer(small(studentDir).optMaxPerGrade(50).optMaxValPerGrade(20).optEpochs(8)
        .optTeachers(List.of(teacherDir)).optDistillWeight(1.0).optAcquisitionAugmentation(true)
        .optNormalisation("flat-equalised").optSeed(8).build(),
        new PrintStream(log, true, StandardCharsets.UTF_8)).train(false);

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("soft targets from 1 teacher(s)");
    assertThat(student.bestValMetrics().quadraticWeightedKappa()).as("student's held-out QWK").isGreaterThan(0.3);
    assertThat(student.card().config().teachers()).containsExactly(teacherDir);
    assertThat(student.card().preprocessing()).anyMatch(step -> step.startsWith("train-only acquisition("));
    assertThat(Files.readString(studentDir.resolve("MODEL_CARD.md")))
        .contains("--teacher " + teacherDir).contains("--acquisition-augmentation").contains("Distilled:")
        .contains("--normalisation flat-equalised");

    // The card names the student's normalisation, and grading feeds the network through it, not the task default.
    assertThat(student.card().normalisationId()).isEqualTo("flat-equalised");
    // A student is not assumed to be one pass: its own mirror rules are tried on val like any model's.
    assertThat(student.card().policySearch()).anyMatch(row -> Boolean.TRUE.equals(row.get("flip_averaging")));
    assertThat(student.card().preprocessing()).contains("histogram-equalisation(4096 bins)", "clahe(8x8 tiles, clip 3.0)");
    org.rheumalens.tasks.GradingTask knee = org.rheumalens.tasks.Tasks.KNEE_KL;
    org.rheumalens.imaging.Radiograph radiograph = org.rheumalens.imaging.RadiographReader.standard()
        .read(LabelledImage.scanFolders(SharedData.kneeKl().resolve("val"), 5).get(0).file());
    org.rheumalens.preprocess.Plane geometry = knee.prepareGeometry(radiograph);
    try (Grader studentGrader = Grader.open(studentDir); Grader teacherGrader = Grader.open(teacherDir)) {
      assertThat(studentGrader.modelInput(radiograph).data())
          .containsExactly(knee.normalisation("flat-equalised").pipeline().apply(geometry, null).data());
      assertThat(teacherGrader.modelInput(radiograph).data())
          .containsExactly(knee.defaultNormalisation().pipeline().apply(geometry, null).data());
    }
  }

  @Test
  void ordinalLossTakesGradesOrTargetDistributions() {
    try (NDManager manager = NDManager.newBaseManager()) {
      OrdinalLoss loss = new OrdinalLoss(new float[] {1f, 2f, 1f}, 1f);
      NDList logits = new ai.djl.ndarray.NDList(manager.create(new float[] {2f, 0f, -1f, 0.5f, 0.2f, 1f},
          new ai.djl.ndarray.types.Shape(2, 3)));
      float hard = loss.evaluate(new ai.djl.ndarray.NDList(manager.create(new int[] {0, 2})), logits).getFloat();
      float oneHot = loss.evaluate(new ai.djl.ndarray.NDList(manager.create(new float[] {1, 0, 0, 0, 0, 1},
          new ai.djl.ndarray.types.Shape(2, 3))), logits).getFloat();
      float soft = loss.evaluate(new ai.djl.ndarray.NDList(manager.create(new float[] {0.5f, 0.5f, 0, 0, 0.5f, 0.5f},
          new ai.djl.ndarray.types.Shape(2, 3))), logits).getFloat();
      assertThat(oneHot).isCloseTo(hard, Offset.offset(1e-5f));
      assertThat(soft).isNotCloseTo(hard, Offset.offset(1e-3f));
    }
  }

  @Test
  void startsFromAnotherModelsWeights(@TempDir Path first, @TempDir Path second, @TempDir Path fresh) throws Exception {
    new GradingTrainer(tiny(first).optEpochs(1).build(), quiet()).train(false);
    // A vanishing learning rate: the one epoch leaves the trained weights where they started (batch-norm running
    // statistics still move, so the weights are compared, not the predictions).
    new GradingTrainer(tiny(second).optEpochs(1).optLearningRate(1e-12f).optInitialWeights(first).optSeed(99).build(),
        quiet()).train(false);
    new GradingTrainer(tiny(fresh).optEpochs(1).optLearningRate(1e-12f).optSeed(99).build(), quiet()).train(false);

    Map<String, float[]> started = weights(first);
    Map<String, float[]> continued = weights(second);
    Map<String, float[]> random = weights(fresh);
    assertThat(continued.keySet()).isEqualTo(started.keySet()).isNotEmpty();
    for (String name : started.keySet()) {
      assertThat(continued.get(name)).as(name).containsExactly(started.get(name), Offset.offset(1e-6f));
    }
    assertThat(started.keySet()).anyMatch(name -> !java.util.Arrays.equals(random.get(name), started.get(name)));
  }

  @Test
  void aNetworkReadFromItsWeightsCanBeSavedAgain(@TempDir Path out, @TempDir Path again) throws Exception {
    // The weight average is built this way and saved when it beats the best epoch; saving a network that was only
    // loaded, never initialised, failed inside DJL ("key value size mismatch").
    new GradingTrainer(tiny(out).optEpochs(1).build(), quiet()).train(false);
    try (Model model = GradingTrainer.networkFromWeights("knee-kl", NetworkSpec.tiny(5), 1, 224, out, "knee-kl")) {
      GradingTrainer.saveWeights(model, again, "knee-kl");
    }
    Map<String, float[]> saved = weights(out, "knee-kl");
    Map<String, float[]> savedAgain = weights(again, "knee-kl");
    assertThat(savedAgain).containsOnlyKeys(saved.keySet());
    saved.forEach((name, values) -> assertThat(savedAgain.get(name)).as(name).containsExactly(values));
  }

  @Test
  void averagesTheWeightsKeptFromTheChosenEpochOn(@TempDir Path out) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new GradingTrainer(tiny(out).optEpochs(3).optAverageFromEpoch(2).build(), new PrintStream(log, true, StandardCharsets.UTF_8))
        .train(false);
    Path checkpoint = out.resolve(GradingTrainer.CHECKPOINT);
    assertThat(WeightAveraging.kept(checkpoint, 1, 3)).containsExactly(2, 3);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("weight average of epochs 2-3 (2 kept");

    Map<String, float[]> second = weights(checkpoint.resolve(WeightAveraging.FOLDER), WeightAveraging.name(2));
    Map<String, float[]> third = weights(checkpoint.resolve(WeightAveraging.FOLDER), WeightAveraging.name(3));
    try (Model averaged = Model.newInstance("knee-kl")) {
      averaged.setBlock(ResidualNetwork.build(NetworkSpec.tiny(5)));
      averaged.load(checkpoint.resolve(WeightAveraging.FOLDER), WeightAveraging.name(3));
      WeightAveraging.average(averaged, NetworkSpec.tiny(5), checkpoint, List.of(2, 3));
      Map<String, float[]> mean = new LinkedHashMap<>();
      averaged.getBlock().getParameters().forEach(p -> mean.put(p.getKey(), p.getValue().getArray().toFloatArray()));
      assertThat(second.keySet()).isNotEmpty().allSatisfy(name -> {
        float[] expected = new float[second.get(name).length];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = (second.get(name)[i] + third.get(name)[i]) / 2;
        }
        assertThat(mean.get(name)).as(name).containsExactly(expected, Offset.offset(1e-6f));
      });
      assertThat(second.keySet()).anyMatch(name -> !java.util.Arrays.equals(second.get(name), third.get(name)));

      // Training-mode batches re-measure the running statistics and leave the learnt weights alone.
      PreparedImages images = PreparedImages.load(org.rheumalens.tasks.Tasks.byId("knee-kl"),
          LabelledImage.scanFolders(SharedData.kneeKl().resolve("val"), 5).subList(0, 16));
      List<org.rheumalens.preprocess.Plane> batch = images.inputs(org.rheumalens.tasks.Tasks.KNEE_KL.defaultNormalisation().pipeline());
      assertThat(WeightAveraging.recomputeBatchNorm(averaged, List.of(batch))).isGreaterThan(1e-4);
      averaged.getBlock().getParameters().forEach(p -> {
        if (!p.getKey().contains("running")) {
          assertThat(p.getValue().getArray().toFloatArray()).as(p.getKey()).containsExactly(mean.get(p.getKey()));
        }
      });
    }
    // The model is the average exactly when the log says it won on val.
    boolean averageWon = text.contains("the average is the model");
    assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).contains("--average-from-epoch 2 --seed 7")
        .contains("Weight averaging: every epoch's weights from epoch 2 on");
    assertThat(ModelCard.read(out).version()).isEqualTo(averageWon ? "epochs-2-3-averaged-seed-7" : "epoch-" + ModelCard.read(out).bestEpoch() + "-seed-7");
  }

  @Test
  void blendsAnotherRunsWeightsIntoTheSelectionAndBlendsTheSameWhenRunAgain(@TempDir Path other, @TempDir Path out,
      @TempDir Path small) throws Exception {
    new GradingTrainer(tiny(other).optEpochs(1).optSeed(11).build(), quiet()).train(false);
    TrainingConfig blended = tiny(out).optEpochs(1).optBlendWith(other, 0.25).build();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new GradingTrainer(blended, new PrintStream(log, true, StandardCharsets.UTF_8)).train(false);

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("blend of 0.75 this run").contains("the blend is the model");
    Path unblended = out.resolve(GradingTrainer.CHECKPOINT).resolve(GradingTrainer.UNBLENDED);
    Map<String, float[]> own = weights(unblended);
    Map<String, float[]> theirs = weights(other);
    Map<String, float[]> blend = weights(out);
    assertThat(own.keySet()).isNotEmpty().allSatisfy(name -> {
      float[] expected = new float[own.get(name).length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = 0.75f * own.get(name)[i] + 0.25f * theirs.get(name)[i];
      }
      assertThat(blend.get(name)).as(name).containsExactly(expected, Offset.offset(1e-6f));
    });
    assertThat(own.keySet()).anyMatch(name -> !java.util.Arrays.equals(own.get(name), theirs.get(name)));
    ModelCard card = ModelCard.read(out);
    assertThat(card.version()).isEqualTo(ModelCard.read(unblended).version() + "-blended-0.25-with-"
        + ModelCard.read(other).version());
    assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).contains("--blend-with " + other + " --blend-share 0.25")
        .contains("Blend: this run's own selection and the model in " + other + ", 0.25 of the weights");

    // The same command again (its one epoch done): the run's own selection is blended again, not the blend.
    new GradingTrainer(blended, quiet()).train(true);
    Map<String, float[]> again = weights(out);
    blend.forEach((name, values) -> assertThat(again.get(name)).as(name).containsExactly(values, Offset.offset(1e-6f)));

    // Another network does not blend; the message names the cause.
    TrainingConfig mismatched = small(small).optMaxPerGrade(8).optMaxValPerGrade(4).optEpochs(1)
        .optBlendWith(other, 0.5).build();
    assertThatThrownBy(() -> new GradingTrainer(mismatched, quiet()).train(false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network");
  }

  /** The optimiser-trained parameters (convolution and dense weights, batch-norm scale and shift) of a saved model. */
  private static Map<String, float[]> weights(Path dir) throws Exception {
    return weights(dir, "knee-kl");
  }

  private static Map<String, float[]> weights(Path dir, String name) throws Exception {
    try (Model model = Model.newInstance("knee-kl")) {
      model.setBlock(ResidualNetwork.build(NetworkSpec.tiny(5)));
      model.load(dir, name);
      Map<String, float[]> out = new LinkedHashMap<>();
      model.getBlock().getParameters().forEach(p -> {
        if (!p.getKey().contains("running")) {
          out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
      });
      return out;
    }
  }

  private static TrainingConfig.Builder tiny(Path out) {
    return small(out).optNetwork(NetworkSpec.tiny(5)).optMaxPerGrade(8).optMaxValPerGrade(4);
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
