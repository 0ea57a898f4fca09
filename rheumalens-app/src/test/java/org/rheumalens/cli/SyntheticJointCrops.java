package org.rheumalens.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * SYNTHETIC hand-joint crops with known Sharp/van der Heijde-like scores, as an RA cohort would bring them: one row
 * per joint crop with {@code joint} and {@code patient} columns. Each crop shows two bone ends across a joint space:
 * the space narrows with the narrowing score (0-4) and each erosion point (0-5) bites a dark notch out of a bone
 * margin. Nothing here is a real patient or a real radiograph.
 */
final class SyntheticJointCrops {

  static final String TASK_JSON = """
      {"id":"ra-joint-svdh","title":"RA joint damage, SvdH-like (synthetic test task)","subject":"hand joint radiograph crop",
       "modality":"XR","input":{"size":64},"normalisations":["none"],
       "augmentation":{"flip":0.5,"rotate":4,"gamma":0.1},
       "outputs":[{"name":"narrowing","kind":"ordinal","column":"jsn","classes":["0","1","2","3","4"]},
                  {"name":"erosion","kind":"ordinal","column":"erosion","classes":["0","1","2","3","4","5"]}]}
      """;

  static final List<String> JOINTS = List.of("MCP2", "MCP3", "MCP4", "MCP5", "PIP2", "PIP3", "PIP4", "PIP5");

  private SyntheticJointCrops() {}

  /** Writes {@code patients} x 8 joint crops and the manifest {@code dir/<name>.csv}; each patient has a severity. */
  static Path writeManifest(Path dir, String name, int patients, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path images = Files.createDirectories(dir.resolve("joints").resolve(name));
    List<String> lines = new ArrayList<>(List.of("image,jsn,erosion,joint,patient"));
    for (int p = 0; p < patients; p++) {
      double severity = random.nextDouble();
      for (String joint : JOINTS) {
        int jsn = (int) Math.min(4, Math.max(0, Math.round(severity * 4 + random.nextDouble(-1.2, 1.2))));
        int erosion = (int) Math.min(5, Math.max(0, Math.round(severity * 5 + random.nextDouble(-1.5, 1.5))));
        String file = String.format(Locale.ROOT, "%s-%03d-%s.png", name, p, joint);
        ImageIO.write(crop(jsn, erosion, random), "png", images.resolve(file).toFile());
        lines.add(String.format(Locale.ROOT, "joints/%s/%s,%d,%d,%s,%s-%03d", name, file, jsn, erosion, joint, name, p));
      }
    }
    return Files.write(dir.resolve(name + ".csv"), lines);
  }

  static BufferedImage crop(int jsn, int erosion, SplittableRandom random) {
    int size = 64 + random.nextInt(16);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    double centre = size / 2.0 + random.nextDouble(-3, 3);
    double gap = 14 - 3 * jsn + random.nextDouble(-0.8, 0.8);
    double left = size * 0.25;
    double right = size * 0.75;
    // Notches: up to five, on the upper bone's lower margin and the lower bone's upper margin, spread across.
    double[][] notches = new double[erosion][];
    for (int e = 0; e < erosion; e++) {
      boolean upper = e % 2 == 0;
      double x = left + (right - left) * (e + 0.5 + random.nextDouble(-0.2, 0.2)) / 5;
      notches[e] = new double[] {x, upper ? centre - gap / 2 : centre + gap / 2, 3.2};
    }
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean bone = x > left && x < right && (y < centre - gap / 2 || y > centre + gap / 2);
        for (double[] n : notches) {
          if (bone && Math.hypot(x - n[0], y - n[1]) < n[2]) {
            bone = false;
          }
        }
        double v = (bone ? 0.75 : 0.25) + random.nextDouble(-0.08, 0.08);
        image.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v * 255)));
      }
    }
    return image;
  }
}
