package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segmentation set as a department would bring one: a task file with a segmentation output and a manifest of
 * SYNTHETIC frames (a brighter elliptical "gland" in speckle, frames of different sizes) with mask images. Trained,
 * evaluated and applied through the command line only.
 */
class SegmentationCohortIT {

  private static final String TASK = """
      {"id":"us-gland","title":"Salivary gland outline (synthetic test task)","subject":"salivary gland ultrasound",
       "modality":"US","input":{"size":64},
       "outputs":[{"name":"outline","kind":"segmentation","column":"mask","classes":["background","gland"]}]}
      """;

  @Test
  void trainsEvaluatesAndSegmentsFromAManifestOfMasks(@TempDir Path dir) throws Exception {
    Path task = Files.writeString(dir.resolve("task.json"), TASK);
    Path train = manifest(dir, "train", 160, 3);
    Path test = manifest(dir, "test", 40, 9);
    Path model = dir.resolve("model");
    CliRun training = CliRun.of("train", "--task-file", task.toString(), "--train", train.toString(), "--out",
        model.toString(), "--epochs", "8", "--batch", "8", "--seed", "1");
    assertThat(training.exitCode()).as(training.err()).isZero();

    Path out = dir.resolve("eval");
    CliRun evaluation = CliRun.of("evaluate", "--model", model.toString(), "--data", test.toString(), "--out", out.toString());
    assertThat(evaluation.exitCode()).as(evaluation.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("n").asInt()).isEqualTo(40);
    assertThat(metrics.get("dice").get("gland").asDouble()).as(metrics.toString()).isGreaterThan(0.8);
    assertThat(metrics.get("iou").get("gland").asDouble()).isGreaterThan(0.65);
    assertThat(metrics.get("hd95").has("gland")).isTrue();
    assertThat(metrics.get("outputs").get("outline").get("dice").get("gland").asDouble())
        .isEqualTo(metrics.get("dice").get("gland").asDouble());

    Path explain = dir.resolve("explain");
    CliRun grading = CliRun.of("grade", "--model", model.toString(), "--json", "--explain", explain.toString(),
        dir.resolve("images/test/test-000.png").toString());
    assertThat(grading.exitCode()).as(grading.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(grading.out().lines().findFirst().orElseThrow());
    assertThat(result.get("structures").get("gland").get("pixels").asInt()).isPositive();
    assertThat(ImageIO.read(Path.of(result.get("explanations").get("overlay").asText()).toFile())).isNotNull();
    // The review limit was fitted on the held-out share: about a tenth of val goes to a reader, and a clear frame
    // like this one is not among them.
    JsonNode limit = new ObjectMapper().readTree(model.resolve("segmentation-review.json").toFile());
    assertThat(limit.get("valImages").asInt()).isPositive();
    assertThat(limit.get("valSentShare").asDouble()).isBetween(0.0, 0.25);
    assertThat(result.get("needs_review").isBoolean()).isTrue();
    assertThat(result.get("uncertainty").get("mean_structure_entropy").asDouble()).isBetween(0.0, 1.0);
  }

  private static Path manifest(Path dir, String name, int count, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Path images = Files.createDirectories(dir.resolve("images").resolve(name));
    List<String> rows = new ArrayList<>(List.of("image,mask,patient"));
    for (int i = 0; i < count; i++) {
      int w = 64 + random.nextInt(40);
      int h = 56 + random.nextInt(20);
      double cx = w * random.nextDouble(0.35, 0.65);
      double cy = h * random.nextDouble(0.35, 0.65);
      double rx = w * random.nextDouble(0.15, 0.3);
      double ry = h * random.nextDouble(0.12, 0.25);
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double dx = (x - cx) / rx;
          double dy = (y - cy) / ry;
          boolean gland = dx * dx + dy * dy < 1;
          double v = (gland ? 0.55 : 0.3) + random.nextDouble(-0.15, 0.15);
          image.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v * 255)));
          mask.getRaster().setSample(x, y, 0, gland ? 1 : 0);
        }
      }
      String stem = String.format(Locale.ROOT, "%s-%03d", name, i);
      ImageIO.write(image, "png", images.resolve(stem + ".png").toFile());
      ImageIO.write(mask, "png", images.resolve(stem + "-mask.png").toFile());
      rows.add("images/" + name + "/" + stem + ".png,images/" + name + "/" + stem + "-mask.png,P" + name + i / 2);
    }
    return Files.write(dir.resolve(name + ".csv"), rows);
  }
}
