package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.ResidualNetwork;
import org.rheumalens.ml.WeightTransfer;

/**
 * A task file with {@code "input": {"channels": 3}} end to end through the command line, on SYNTHETIC frames whose
 * label is in the colour alone ({@link SyntheticFlowCohort}): the grey model cannot beat chance, the colour model
 * (started from the grey one with {@code --init-from}) must learn it, and grading, heatmaps, the OOD gate, calibration
 * and evaluation all take colour.
 */
class ColourTaskIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path greyModel;
  private static Path colourModel;
  private static Path test;

  @BeforeAll
  static void train() throws Exception {
    Path train = SyntheticFlowCohort.writeManifest(dir, "train", 140, 11);
    test = SyntheticFlowCohort.writeManifest(dir, "test", 60, 23);
    Path greyTask = Files.writeString(dir.resolve("grey.json"), SyntheticFlowCohort.task("us-flow-grey", 1));
    Path colourTask = Files.writeString(dir.resolve("colour.json"), SyntheticFlowCohort.task("us-flow", 3));
    greyModel = dir.resolve("grey-model");
    colourModel = dir.resolve("colour-model");
    CliRun grey = CliRun.of("train", "--task-file", greyTask.toString(), "--train", train.toString(), "--out",
        greyModel.toString(), "--epochs", "4", "--batch", "16", "--network", "tiny", "--lr", "0.003", "--seed", "7");
    assertThat(grey.exitCode()).as(grey.err()).isZero();
    CliRun colour = CliRun.of("train", "--task-file", colourTask.toString(), "--train", train.toString(), "--out",
        colourModel.toString(), "--epochs", "6", "--batch", "16", "--network", "tiny", "--lr", "0.003", "--seed", "7",
        "--init-from", greyModel.toString());
    assertThat(colour.exitCode()).as(colour.err()).isZero();
  }

  @Test
  void theCardRecordsThreeInputChannelsAndInferenceReadsThemBack() throws Exception {
    JsonNode card = JSON.readTree(colourModel.resolve("model-card.json").toFile());
    assertThat(card.get("network").get("inputChannels").asInt()).isEqualTo(3);
    assertThat(card.get("task").get("input").get("channels").asInt()).isEqualTo(3);
    assertThat(card.get("task").get("colour").asText()).isEqualTo("keep");
    assertThat(card.get("oversight").get("calibration").get("temperature").asDouble()).isPositive();
    String markdown = Files.readString(colourModel.resolve("MODEL_CARD.md"));
    assertThat(markdown).contains("input 3x64x64").contains("colour(R, G, B kept")
        .contains("--network tiny").contains("--init-from " + greyModel);
    assertThat(Files.readString(greyModel.resolve("MODEL_CARD.md"))).contains("input 1x64x64")
        .doesNotContain("colour(R, G, B");
  }

  @Test
  void onlyTheColourModelLearnsWhatOnlyColourShows() throws Exception {
    double colour = accuracy(colourModel, "colour-eval");
    double grey = accuracy(greyModel, "grey-eval");
    System.out.printf("held-out accuracy on 60 frames: colour model %.3f, grey model %.3f%n", colour, grey);
    // Red and blue blobs of one grey luma: read as grey, the 60 frames (half of each) are a coin toss.
    assertThat(grey).as("grey model").isLessThan(0.72);
    assertThat(colour).as("colour model").isGreaterThan(0.9);
  }

  private static double accuracy(Path model, String out) throws Exception {
    CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--out",
        dir.resolve(out).toString(), "--bootstrap", "100");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode metrics = JSON.readTree(dir.resolve(out).resolve("metrics.json").toFile());
    assertThat(metrics.get("n").asInt()).isEqualTo(60);
    return metrics.get("accuracy").asDouble();
  }

  @Test
  void gradesColourAndGreyFilesWithHeatmapsThroughTheCommandLine() throws Exception {
    Path frames = Files.createDirectories(dir.resolve("frames"));
    SplittableRandom random = new SplittableRandom(5);
    ImageIO.write(SyntheticFlowCohort.frame(SyntheticFlowCohort.BLUE, random), "png", frames.resolve("a-blue.png").toFile());
    ImageIO.write(SyntheticFlowCohort.frame(SyntheticFlowCohort.RED, random), "png", frames.resolve("b-red.png").toFile());
    // A grey file is three equal channels to the colour model.
    ImageIO.write(SyntheticFlowCohort.frame(null, random), "png", frames.resolve("c-grey.png").toFile());
    Path heatmaps = dir.resolve("heatmaps");
    CliRun run = CliRun.of("grade", "--model", colourModel.toString(), "--json", "--explain", heatmaps.toString(),
        frames.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<JsonNode> results = run.out().lines().map(ColourTaskIT::json).toList();
    assertThat(results).hasSize(3);
    for (JsonNode result : results) {
      assertThat(result.has("error")).as(result.toString()).isFalse();
      assertThat(result.get("ood").get("score").isNumber()).as(result.toString()).isTrue();
    }
    assertThat(results.get(0).get("grade").asInt()).as(results.get(0).toString()).isZero();
    assertThat(results.get(1).get("grade").asInt()).as(results.get(1).toString()).isEqualTo(1);
    assertThat(results.get(1).get("probabilities")).hasSize(2);
    Path overlay = Path.of(results.get(1).get("explanations").get("gradcam").asText());
    assertThat(ImageIO.read(overlay.toFile())).as(overlay.toString()).isNotNull();
  }

  @Test
  void initFromAGreyModelSpreadsItsFirstConvolutionOverTheThreeChannels() throws Exception {
    ModelCard grey = ModelCard.read(greyModel);
    NetworkSpec colourSpec = grey.network().withInputChannels(3);
    try (Model target = Model.newInstance("target", Device.cpu())) {
      target.setBlock(ResidualNetwork.build(colourSpec));
      try (Trainer trainer = target.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        trainer.initialize(new Shape(1, 3, 64, 64));
        WeightTransfer.Report report = WeightTransfer.copy(greyModel, target);
        assertThat(report.fresh()).as(report.describe()).isZero();
        assertThat(report.spread()).hasSize(1);
        assertThat(report.describe()).contains("spread over the input channels");
        try (Model source = Model.newInstance("source", Device.cpu())) {
          source.setBlock(ResidualNetwork.build(grey.network()));
          org.rheumalens.training.WeightFiles.load(source, greyModel, grey.name(), "the grey model");
          float[] greyKernel = parameter(source, report.spread().get(0));
          float[] colourKernel = parameter(target, report.spread().get(0));
          assertThat(colourKernel).hasSize(3 * greyKernel.length);
          // Filter 0, channels R, G, B: each its grey weight over three, so a grey image gives the grey response.
          int k = 49;
          for (int c = 0; c < 3; c++) {
            for (int i = 0; i < k; i++) {
              assertThat(colourKernel[c * k + i]).isCloseTo(greyKernel[i] / 3, org.assertj.core.data.Offset.offset(1e-7f));
            }
          }
        }
      }
    }
  }

  private static float[] parameter(Model model, String name) {
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getKey().equals(name)) {
        return p.getValue().getArray().toFloatArray();
      }
    }
    throw new AssertionError("no parameter " + name);
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
