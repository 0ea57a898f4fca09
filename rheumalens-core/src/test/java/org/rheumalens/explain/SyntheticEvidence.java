package org.rheumalens.explain;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.RandomAffine;
import org.rheumalens.preprocess.SquareResize;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;

/**
 * A two-grade task whose only evidence sits in one known region: grade 1 images carry a bright ring somewhere inside
 * {@link #REGION}; both grades carry bright filled squares anywhere as distractors, on a noisy, unevenly lit
 * background. A model that learns the task must look at the ring, so a heatmap that is right points there.
 */
final class SyntheticEvidence {

  static final int SIZE = 96;
  /**
   * x0, y0, x1, y1 of the evidence region (exclusive upper bounds): 40 of 96 pixels a side, 17% of the area. It is
   * the ring's box with a margin of one Grad-CAM cell (8 pixels for the test network), the map's resolution limit.
   */
  static final int[] REGION = {8, 8, 48, 48};
  /** The ring's centre moves up to this far from the region's centre. */
  private static final int JITTER = 4;
  private static final int RING_OUTER = 7;

  static final GradingTask TASK = new GradingTask(
      new TaskDefinition("synthetic-ring", "Ring present", "synthetic test image", "XR",
          new TaskDefinition.Input(SIZE, 1),
          List.of(new TaskDefinition.Output("ring", TaskDefinition.Kind.ORDINAL, "ring", List.of("absent", "present"), null)),
          "centre-square", List.of("none"), null, "refuse", "tiny", null),
      Pipeline.builder().add("square-resize(96)", new SquareResize(SIZE)).build(),
      List.of(new GradingTask.Normalisation("none", Pipeline.builder().build())),
      Pipeline.builder().add("affine(rotate ±4°)", new RandomAffine(0, 4, 0, 0)).build());

  private SyntheticEvidence() {}

  /** Writes {@code dir/train/{0,1}} and {@code dir/val/{0,1}} PNGs. */
  static void writeDataset(Path dir, int trainPerGrade, int valPerGrade, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    for (String split : List.of("train", "val")) {
      int count = split.equals("train") ? trainPerGrade : valPerGrade;
      for (int grade = 0; grade < 2; grade++) {
        Path folder = Files.createDirectories(dir.resolve(split).resolve(Integer.toString(grade)));
        for (int i = 0; i < count; i++) {
          ImageIO.write(image(grade == 1, random), "png", folder.resolve(String.format("%s-%d-%03d.png", split, grade, i)).toFile());
        }
      }
    }
  }

  static BufferedImage image(boolean ring, SplittableRandom random) {
    float[] v = new float[SIZE * SIZE];
    double gx = random.nextDouble(-0.15, 0.15);
    double gy = random.nextDouble(-0.15, 0.15);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        v[y * SIZE + x] = (float) (0.35 + gx * x / SIZE + gy * y / SIZE + random.nextDouble(-0.06, 0.06));
      }
    }
    int squares = random.nextInt(1, 4);
    for (int s = 0; s < squares; s++) {
      int side = random.nextInt(6, 11);
      int x0 = random.nextInt(0, SIZE - side);
      int y0 = random.nextInt(0, SIZE - side);
      for (int y = y0; y < y0 + side; y++) {
        for (int x = x0; x < x0 + side; x++) {
          v[y * SIZE + x] = 0.85f;
        }
      }
    }
    if (ring) {
      int cx = (REGION[0] + REGION[2]) / 2 + random.nextInt(-JITTER, JITTER + 1);
      int cy = (REGION[1] + REGION[3]) / 2 + random.nextInt(-JITTER, JITTER + 1);
      for (int y = cy - RING_OUTER; y <= cy + RING_OUTER; y++) {
        for (int x = cx - RING_OUTER; x <= cx + RING_OUTER; x++) {
          double r = Math.hypot(x - cx, y - cy);
          if (r <= RING_OUTER && r >= RING_OUTER - 2.5) {
            v[y * SIZE + x] = 0.85f;
          }
        }
      }
    }
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int g = Math.round(Math.max(0f, Math.min(1f, v[y * SIZE + x])) * 255f);
        image.getRaster().setSample(x, y, 0, g);
      }
    }
    return image;
  }
}
