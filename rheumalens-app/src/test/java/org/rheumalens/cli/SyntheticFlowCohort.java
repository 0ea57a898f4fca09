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
 * SYNTHETIC ultrasound frames whose label is in the colour alone: speckle with one flow blob, red or blue, the two of
 * exactly equal grey luma (0.299 R + 0.587 G + 0.114 B rounds to 108 for both), at random places and sizes. A grey
 * reading of a frame therefore carries nothing of its label; only a network that sees R, G and B can learn it.
 */
final class SyntheticFlowCohort {

  static final int[] RED = {220, 60, 60};
  static final int[] BLUE = {60, 108, 230};

  /** The colour task; the grey one is the same with one channel and colour read as grey. */
  static String task(String id, int channels) {
    return """
        {"id":"%s","title":"Flow direction (synthetic colour test task)","subject":"joint ultrasound",
         "modality":"US","input":{"size":64,"channels":%d},%s
         "outputs":[{"name":"flow","kind":"binary","column":"flow","classes":["blue","red"]}]}
        """.formatted(id, channels, channels == 1 ? "\"colour\":\"to-grey\"," : "");
  }

  private SyntheticFlowCohort() {}

  /** Writes {@code count} frames under {@code dir/images/<name>/} and the manifest {@code dir/<name>.csv}. */
  static Path writeManifest(Path dir, String name, int count, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path images = Files.createDirectories(dir.resolve("images").resolve(name));
    List<String> lines = new ArrayList<>(List.of("image,flow,patient"));
    for (int i = 0; i < count; i++) {
      boolean red = i % 2 == 0;
      String file = String.format(Locale.ROOT, "%s-%03d.png", name, i);
      ImageIO.write(frame(red ? RED : BLUE, random), "png", images.resolve(file).toFile());
      lines.add(String.format(Locale.ROOT, "images/%s/%s,%s,%s-P%03d", name, file, red ? "red" : "blue", name, i));
    }
    return Files.write(dir.resolve(name + ".csv"), lines);
  }

  /** A frame with a blob of {@code colour}; null paints it grey at the same luma, in a grey file. */
  static BufferedImage frame(int[] colour, SplittableRandom random) {
    int width = 80 + random.nextInt(32);
    int height = 72 + random.nextInt(24);
    double radius = 9 + random.nextDouble() * 7;
    double cx = radius + random.nextDouble() * (width - 2 * radius);
    double cy = radius + random.nextDouble() * (height - 2 * radius);
    BufferedImage image = new BufferedImage(width, height,
        colour == null ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int grey = (int) Math.min(255, 30 + 120 * -Math.log(1 - random.nextDouble() * 0.999) * 0.5);
        boolean inBlob = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
        int[] pixel = !inBlob ? new int[] {grey, grey, grey} : colour == null ? new int[] {108, 108, 108} : colour;
        image.getRaster().setPixel(x, y, colour == null ? new int[] {pixel[0]} : pixel);
      }
    }
    return image;
  }
}
