package org.rheumalens.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
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
 * A SYNTHETIC joint-ultrasound cohort with known truth, written as a department would bring one: a task file and a
 * manifest CSV. Each frame is speckle over a bright bone line with a dark (hypoechoic) synovial region whose size is
 * the OMERACT-like grade 0-3; frames differ in size and aspect, carry burned-in text, and some are RGB exports with a
 * colour Doppler box and yellow calipers. Centre "B" scans with a brighter gain. Nothing here is a real patient.
 */
final class SyntheticUltrasoundCohort {

  static final String TASK_JSON = """
      {"id":"us-synovitis","title":"Joint ultrasound synovitis (synthetic test task)","subject":"joint ultrasound",
       "modality":"US","input":{"size":96},
       "outputs":[{"name":"synovitis","kind":"ordinal","column":"grade","classes":["0","1","2","3"]}]}
      """;

  /** The same frames read three ways on one backbone: the grade, the effusion depth in mm, and Doppler present. */
  static final String MULTI_OUTPUT_TASK_JSON = """
      {"id":"us-synovitis-multi","title":"Joint ultrasound: grade, depth, Doppler (synthetic test task)",
       "subject":"joint ultrasound","modality":"US","input":{"size":96},
       "outputs":[{"name":"synovitis","kind":"ordinal","column":"grade","classes":["0","1","2","3"]},
                  {"name":"depth","kind":"regression","column":"depth_mm","range":[0,8]},
                  {"name":"doppler","kind":"binary","column":"doppler","classes":["absent","present"]}]}
      """;

  private SyntheticUltrasoundCohort() {}

  /** Writes {@code task.json}; returns its path. */
  static Path writeTask(Path dir) throws IOException {
    return Files.writeString(Files.createDirectories(dir).resolve("task.json"), TASK_JSON);
  }

  /**
   * Writes {@code patients} patients with {@code perPatient} frames each under {@code dir/images/<name>/} and the
   * manifest {@code dir/<name>.csv} (image, grade, patient, centre, device); grades cycle so every grade is present.
   */
  static Path writeManifest(Path dir, String name, int patients, int perPatient, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path images = Files.createDirectories(dir.resolve("images").resolve(name));
    List<String> lines = new ArrayList<>(List.of("image,grade,patient,centre,device,depth_mm,doppler"));
    int n = 0;
    for (int p = 0; p < patients; p++) {
      String centre = switch (p % 3) { case 0 -> "A"; case 1 -> "B"; default -> "C"; };
      String device = random.nextBoolean() ? "probe-L12" : "probe-L18";
      for (int k = 0; k < perPatient; k++, n++) {
        int grade = (n + random.nextInt(2)) % 4;
        boolean rgb = random.nextInt(4) == 0;
        double[] depth = new double[1];
        BufferedImage frame = frame(grade, centre.equals("B"), rgb, random, depth);
        String file = String.format(Locale.ROOT, "%s-%03d-%d.png", name, p, k);
        ImageIO.write(frame, "png", images.resolve(file).toFile());
        lines.add(String.format(Locale.ROOT, "images/%s/%s,%d,%s-P%03d,%s,%s,%.1f,%s", name, file, grade, name, p,
            centre, device, depth[0], rgb ? "present" : "absent"));
      }
    }
    Path csv = dir.resolve(name + ".csv");
    Files.write(csv, lines);
    return csv;
  }

  static BufferedImage frame(int grade, boolean brightGain, boolean rgb, SplittableRandom random) {
    return frame(grade, brightGain, rgb, random, new double[1]);
  }

  /** A frame; {@code depthMm[0]} receives the effusion's depth (its vertical extent at 0.04 mm a pixel). */
  static BufferedImage frame(int grade, boolean brightGain, boolean rgb, SplittableRandom random, double[] depthMm) {
    int width = 180 + random.nextInt(140);
    int height = 140 + random.nextInt(100);
    double gain = brightGain ? 1.2 : 1.0;
    int boneY = (int) (height * (0.68 + random.nextDouble(-0.05, 0.05)));
    double radius = switch (grade) { case 0 -> 0; case 1 -> 0.12; case 2 -> 0.2; default -> 0.3; }
        * Math.min(width, height) * random.nextDouble(0.9, 1.1);
    double cx = width / 2.0 + random.nextDouble(-0.1, 0.1) * width;
    double cy = boneY - radius * 0.7 - 4;
    depthMm[0] = 2 * radius * 0.04;
    BufferedImage image = new BufferedImage(width, height, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double depth = 1 - 0.5 * y / height;
        double speckle = -Math.log(1 - random.nextDouble() * 0.999) * 0.35;
        double v = (0.25 + speckle) * depth;
        if (Math.abs(y - boneY) < 3) {
          v = 0.95;
        } else if (y > boneY) {
          v *= 0.25;
        }
        if (radius > 0) {
          double dx = (x - cx) / (radius * 1.6);
          double dy = (y - cy) / radius;
          if (dx * dx + dy * dy < 1) {
            v = 0.04 + 0.05 * random.nextDouble();
          }
        }
        int grey = (int) Math.max(0, Math.min(255, v * gain * 255));
        image.getRaster().setPixel(x, y, rgb ? new int[] {grey, grey, grey} : new int[] {grey});
      }
    }
    Graphics2D g = image.createGraphics();
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    g.setColor(Color.WHITE);
    g.drawString("SYNTHETIC  MCP2 L  12MHz", 4, 12);
    if (rgb) {
      // A colour Doppler box and caliper marks: true colour, as ultrasound exports carry it.
      int bx = (int) (width * 0.6);
      int by = (int) (height * 0.1);
      // Flow shows as red and yellow blobs (8x8 pixel cells, coarse enough to survive the downscale) in the box.
      for (int y = by; y < by + height / 5; y++) {
        for (int x = bx; x < Math.min(width, bx + width / 5); x++) {
          image.setRGB(x, y, ((x / 8 + y / 8) % 2 == 0) ? 0xFF2000 : 0xFFE000);
        }
      }
      g.setColor(Color.YELLOW);
      g.drawString("+", (int) cx - 6, (int) cy);
      g.drawString("+", (int) cx + 6, (int) cy);
    }
    g.dispose();
    return image;
  }
}
