package org.rheumalens.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Upload after upload of different images for the load test: knee crops from a folder when there is one, else
 * generated greyscale pictures, each upload stamped with its number in four pixels so no two are duplicates (a
 * duplicate is not graded again, and the test needs each upload graded).
 */
public final class LoadImages {

  private static final int MAX_BASES = 200;
  private static final int SIZE = 224;

  /** One upload: the name the client gives the file (an OAI-style name carries the patient) and its PNG bytes. */
  public record Upload(String filename, byte[] png) {}

  private final List<String> names;
  private final List<BufferedImage> bases;
  private final String source;

  private LoadImages(List<String> names, List<BufferedImage> bases, String source) {
    this.names = names;
    this.bases = bases;
    this.source = source;
  }

  /** Up to 200 greyscale PNGs under {@code folder} (any depth), or 50 generated pictures when it has none. */
  public static LoadImages from(Path folder) throws IOException {
    List<String> names = new ArrayList<>();
    List<BufferedImage> bases = new ArrayList<>();
    if (folder != null && Files.isDirectory(folder)) {
      List<Path> files;
      try (Stream<Path> all = Files.walk(folder)) {
        files = all.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")).sorted()
            .limit(MAX_BASES).toList();
      }
      for (Path file : files) {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image != null && image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
          names.add(file.getFileName().toString());
          bases.add(image);
        }
      }
    }
    if (!bases.isEmpty()) {
      return new LoadImages(names, bases, bases.size() + " PNGs from " + folder);
    }
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
      // A dark gap between two bright blocks with noise: enough structure for the model to read something.
      int gap = 20 + random.nextInt(60);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int base = Math.abs(y - SIZE / 2) < gap / 2 ? 40 : 170;
          image.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, base + (int) (random.nextGaussian() * 20))));
        }
      }
      names.add("generated-" + i + ".png");
      bases.add(image);
    }
    return new LoadImages(names, bases, "50 generated PNGs (no image folder at " + folder + ")");
  }

  /** Where the images come from, for the record. */
  public String source() {
    return source;
  }

  /** The {@code index}-th upload: base image {@code index mod bases}, its first four pixels set to {@code index}. */
  public Upload upload(long index) {
    BufferedImage base = bases.get((int) (index % bases.size()));
    BufferedImage copy = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    copy.setData(base.getRaster());
    for (int b = 0; b < 4; b++) {
      copy.getRaster().setSample(b, 0, 0, (int) (index >>> (8 * b)) & 0xff);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(copy, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Upload(names.get((int) (index % bases.size())), png.toByteArray());
  }
}
