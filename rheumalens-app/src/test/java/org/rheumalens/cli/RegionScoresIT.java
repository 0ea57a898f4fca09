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
import org.rheumalens.eval.RegressionMetrics;

/**
 * The region stage on SYNTHETIC hand-like images: four joints at varying places on a film, each drawn like the joint
 * crops with known narrowing and erosion scores. A region model (segmentation, one class per joint) learns from
 * masks where the joints are; a scoring model learns the crops; `grade --regions` finds, cuts out and scores each
 * joint of an unseen film and adds the scores up, and the totals must agree with the truth.
 */
class RegionScoresIT {

  private static final String REGION_TASK = """
      {"id":"synthetic-hand-joints","title":"Joints of a hand film (synthetic test task)","subject":"hand radiograph",
       "modality":"XR","input":{"size":64},"normalisations":["none"],"augmentation":{"flip":0,"rotate":0},
       "outputs":[{"name":"joints","kind":"segmentation","column":"mask","classes":["background","J1","J2","J3","J4"]}]}
      """;

  @Test
  void jointsAreFoundCutOutScoredAndSummedPerFilm(@TempDir Path dir) throws Exception {
    Path scoreTask = Files.writeString(dir.resolve("joint-task.json"), SyntheticJointCrops.TASK_JSON);
    Path crops = SyntheticJointCrops.writeManifest(dir, "crops", 60, 5);
    Path scorer = dir.resolve("scorer");
    CliRun scoring = CliRun.of("train", "--task-file", scoreTask.toString(), "--train", crops.toString(), "--out",
        scorer.toString(), "--epochs", "30", "--network", "small", "--lr", "0.003", "--seed", "3");
    assertThat(scoring.exitCode()).as(scoring.err()).isZero();

    Path regionTask = Files.writeString(dir.resolve("region-task.json"), REGION_TASK);
    Path films = films(dir, "films", 80, 11, new ArrayList<>());
    Path regions = dir.resolve("regions");
    CliRun finding = CliRun.of("train", "--task-file", regionTask.toString(), "--train", films.toString(), "--out",
        regions.toString(), "--epochs", "12", "--batch", "8", "--seed", "1");
    assertThat(finding.exitCode()).as(finding.err()).isZero();

    List<int[]> truth = new ArrayList<>();
    films(dir, "unseen", 12, 99, truth);
    double[] trueTotal = new double[truth.size()];
    double[] predictedTotal = new double[truth.size()];
    for (int f = 0; f < truth.size(); f++) {
      Path film = dir.resolve(String.format(Locale.ROOT, "hands/unseen/unseen-%03d.png", f));
      CliRun run = CliRun.of("grade", "--model", scorer.toString(), "--regions", regions.toString(), "--region-margin",
          "1.0", "--json", film.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
      assertThat(summary.get("regions")).as(run.out()).hasSize(4);
      trueTotal[f] = truth.get(f)[0] + truth.get(f)[1];
      predictedTotal[f] = summary.get("totals").path("narrowing").asDouble() + summary.get("totals").path("erosion").asDouble();
    }
    RegressionMetrics agreement = RegressionMetrics.compute(trueTotal, predictedTotal);
    System.out.println("region stage, film totals against the truth: " + agreement);
    assertThat(agreement.icc21()).as("film totals: %s", agreement).isGreaterThan(0.9);
  }

  /**
   * Writes {@code count} films of four joints each under {@code dir/hands/<name>/} with their regions and the manifest
   * {@code dir/<name>.csv}; {@code truth} receives each film's total narrowing and erosion. Even films get a mask
   * file (joint k painted k over its crop), odd ones the same regions as box coordinates in the manifest
   * ({@code J1 x0 y0 x1 y1; ...}), so the region model learns from both forms.
   */
  private static Path films(Path dir, String name, int count, long seed, List<int[]> truth) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Path folder = Files.createDirectories(dir.resolve("hands").resolve(name));
    List<String> rows = new ArrayList<>(List.of("image,mask,patient"));
    for (int f = 0; f < count; f++) {
      int size = 240;
      BufferedImage film = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          film.getRaster().setSample(x, y, 0, (int) (255 * (0.2 + random.nextDouble(-0.05, 0.05))));
        }
      }
      double severity = random.nextDouble();
      int[] totals = new int[2];
      StringBuilder boxes = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        int jsn = (int) Math.min(4, Math.max(0, Math.round(severity * 4 + random.nextDouble(-1.2, 1.2))));
        int erosion = (int) Math.min(5, Math.max(0, Math.round(severity * 5 + random.nextDouble(-1.5, 1.5))));
        totals[0] += jsn;
        totals[1] += erosion;
        BufferedImage crop = SyntheticJointCrops.crop(jsn, erosion, random);
        int x0 = (j % 2) * 120 + random.nextInt(30);
        int y0 = (j / 2) * 120 + random.nextInt(30);
        film.getGraphics().drawImage(crop, x0, y0, null);
        boxes.append(j == 0 ? "" : "; ").append(String.format(Locale.ROOT, "J%d %d %d %d %d", j + 1, x0, y0,
            x0 + crop.getWidth(), y0 + crop.getHeight()));
        for (int y = 0; y < crop.getHeight(); y++) {
          for (int x = 0; x < crop.getWidth(); x++) {
            mask.getRaster().setSample(x0 + x, y0 + y, 0, j + 1);
          }
        }
      }
      truth.add(totals);
      String stem = String.format(Locale.ROOT, "%s-%03d", name, f);
      ImageIO.write(film, "png", folder.resolve(stem + ".png").toFile());
      if (f % 2 == 0) {
        ImageIO.write(mask, "png", folder.resolve(stem + "-mask.png").toFile());
        rows.add("hands/" + name + "/" + stem + ".png,hands/" + name + "/" + stem + "-mask.png,F" + f);
      } else {
        rows.add("hands/" + name + "/" + stem + ".png," + boxes + ",F" + f);
      }
    }
    return Files.write(dir.resolve(name + ".csv"), rows);
  }
}
