package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.io.NpyFile;
import org.rheumalens.preprocess.Plane;

/**
 * Real DJL training of a small U-Net on SYNTHETIC images ({@link SyntheticSegmentation}): it must outline a bright
 * striated "gland" and a dark "node" on held-out images, save a model that reloads to the same masks, and repeat
 * itself exactly for a seed.
 */
class SegmentationTrainingIT {

  private static final PrintStream LOG = System.out;

  @Test
  void smallUNetOutlinesSyntheticStructuresOnHeldOutImages(@TempDir Path out) throws Exception {
    List<SegmentationSample> train = SyntheticSegmentation.samples(150, 64, 1);
    List<SegmentationSample> val = SyntheticSegmentation.samples(20, 64, 2);
    List<SegmentationSample> test = SyntheticSegmentation.samples(40, 64, 3);
    SegmentationConfig config = SegmentationConfig.builder().setClasses(SyntheticSegmentation.CLASSES)
        .setOutputDir(out).optNetwork(SegmentationNetworkSpec.unet(3, 8, 3)).optEpochs(8).optBatchSize(8)
        .optLearningRate(3e-3f).optSeed(11).build();

    long start = System.nanoTime();
    SegmentationTrainer.Result result = new SegmentationTrainer(config, LOG).train(train, val);
    LOG.printf("training took %.1f s%n", (System.nanoTime() - start) / 1e9);

    SegmentationCard card = result.card();
    assertThat(out.resolve(SegmentationTrainer.WEIGHTS + "-0000.params")).isRegularFile();
    assertThat(card.history()).hasSize(8);
    assertThat(card.valMetrics().get("mean_dice")).isEqualTo(
        card.history().stream().mapToDouble(SegmentationEpoch::valMeanDice).max().orElseThrow());
    assertThat(card.inputSize()).isEqualTo(64);
    assertThat(card.seed()).isEqualTo(11);
    assertThat(card.data()).containsKeys("sha256_train", "sha256_val");
    // The card's keys are a contract with whoever reads it without this class (manifests, the server).
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve(SegmentationCard.FILE).toFile());
    assertThat(json.get("kind").asText()).isEqualTo("segmentation");
    assertThat(json.get("network").get("baseWidth").asInt()).isEqualTo(8);
    assertThat(json.get("valMetrics").get("dice_node").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("config").get("seed").asLong()).isEqualTo(11);
    assertThat(json.fieldNames()).toIterable().contains("classes", "inputSize", "preprocessing", "bestEpoch",
        "history", "environment", "trainingSeconds");

    try (SegmentationModel model = SegmentationModel.load(out)) {
      assertThat(model.card()).isEqualTo(SegmentationCard.read(out));
      assertThat(model.classes()).isEqualTo(SyntheticSegmentation.CLASSES);

      // Reloaded weights give the masks the trainer scored: the same val metrics, to the last digit.
      List<SegmentationResult> onVal = model.predict(val.stream().map(SegmentationSample::image).toList());
      SegmentationMetrics valAgain = metrics(val, onVal);
      assertThat(valAgain.meanDice()).isEqualTo(result.valMetrics().meanDice());
      assertThat(valAgain.flat()).isEqualTo(result.valMetrics().flat());

      List<SegmentationResult> onTest = model.predict(test.stream().map(SegmentationSample::image).toList());
      SegmentationMetrics held = metrics(test, onTest);
      LOG.printf("held-out synthetic: mean Dice %.4f, per class %s, mean HD95 %.2f px (%.2f mm)%n", held.meanDice(),
          held.dicePerClass(), held.meanHd95Pixels(), held.meanHd95Mm());
      assertThat(held.meanDice()).as("mean structure Dice on 40 held-out synthetic images").isGreaterThanOrEqualTo(0.85);
      assertThat(held.perClass().get("node").images()).as("images with a node").isBetween(20, 40);

      SegmentationResult first = onTest.get(0);
      checkProbabilities(first);
      // Uncertainty sits on the outlines, where pixels are genuinely mixed, not inside the structures.
      assertThat(meanEntropy(first, true)).isGreaterThan(3 * meanEntropy(first, false));
      assertThat(model.predict(test.get(0).image()).mask()).isEqualTo(first.mask());

      checkFiles(out.resolve("outputs"), test.get(0).image(), first);
    }
  }

  @Test
  void theSameSeedTrainsTheSameWeights(@TempDir Path out) throws Exception {
    List<SegmentationSample> train = SyntheticSegmentation.samples(16, 32, 5);
    List<SegmentationSample> val = SyntheticSegmentation.samples(4, 32, 6);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    byte[][] weights = new byte[3][];
    SegmentationCard[] cards = new SegmentationCard[3];
    long[] seeds = {3, 3, 4};
    // Base width 8, not 4: on an AMD EPYC oneDNN trained layers narrower than its vector width to NaN (./rheumalens).
    for (int run = 0; run < 3; run++) {
      Path dir = out.resolve("run" + run);
      SegmentationConfig config = SegmentationConfig.builder().setClasses(SyntheticSegmentation.CLASSES)
          .setOutputDir(dir).optNetwork(SegmentationNetworkSpec.unet(3, 8, 2)).optEpochs(2).optBatchSize(4)
          .optSeed(seeds[run]).build();
      cards[run] = new SegmentationTrainer(config, quiet).train(train, val).card();
      weights[run] = Files.readAllBytes(dir.resolve(SegmentationTrainer.WEIGHTS + "-0000.params"));
    }
    assertThat(weights[1]).isEqualTo(weights[0]);
    assertThat(cards[1].history().stream().map(SegmentationEpoch::trainLoss).toList())
        .isEqualTo(cards[0].history().stream().map(SegmentationEpoch::trainLoss).toList());
    assertThat(weights[2]).isNotEqualTo(weights[0]);
  }

  private static SegmentationMetrics metrics(List<SegmentationSample> truth, List<SegmentationResult> predicted) {
    return SegmentationMetrics.of(SyntheticSegmentation.CLASSES, truth.stream().map(SegmentationSample::mask).toList(),
        predicted.stream().map(SegmentationResult::mask).toList(),
        truth.stream().map(SegmentationSample::spacing).toList());
  }

  private static void checkProbabilities(SegmentationResult result) {
    int pixels = result.mask().width() * result.mask().height();
    for (int p = 0; p < pixels; p += 97) {
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        sum += result.probabilities()[c * pixels + p];
      }
      assertThat(sum).isCloseTo(1.0, within(1e-4));
      assertThat(result.entropy()[p]).isBetween(0f, 1.0001f);
    }
  }

  /** Mean entropy over the predicted structures' outline pixels, or over their interior pixels. */
  private static double meanEntropy(SegmentationResult result, boolean outline) {
    LabelMask mask = result.mask();
    double sum = 0;
    int n = 0;
    for (int y = 1; y < mask.height() - 1; y++) {
      for (int x = 1; x < mask.width() - 1; x++) {
        int label = mask.at(x, y);
        boolean edge = mask.at(x - 1, y) != label || mask.at(x + 1, y) != label || mask.at(x, y - 1) != label
            || mask.at(x, y + 1) != label;
        if (label != 0 && edge == outline) {
          sum += result.entropy()[y * mask.width() + x];
          n++;
        }
      }
    }
    return sum / n;
  }

  private static void checkFiles(Path dir, Plane image, SegmentationResult result) throws Exception {
    SegmentationOutputs.Written files = SegmentationOutputs.write(dir, "synthetic-0", image, result,
        SyntheticSegmentation.SPACING);
    BufferedImage overlay = ImageIO.read(files.overlayPng().toFile());
    assertThat(overlay.getWidth()).isGreaterThan(4 * 64);
    BufferedImage mask = ImageIO.read(files.maskPng().toFile());
    assertThat(mask.getRaster().getSample(10, 10, 0)).isEqualTo(result.mask().at(10, 10));
    assertThat(ImageIO.read(files.uncertaintyPng().toFile())).isNotNull();
    NpyFile.Array entropy = NpyFile.read(files.uncertaintyNpy());
    assertThat(entropy.shape()).containsExactly(64, 64);
    assertThat(entropy.data()).containsExactly(result.entropy());
    assertThat(NpyFile.read(files.probabilitiesNpy()).shape()).containsExactly(3, 64, 64);
  }
}
