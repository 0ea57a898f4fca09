package org.rheumalens.server.ingest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.server.DataFolder;
import org.rheumalens.server.store.StoredImage;

/**
 * De-identified copies of ingested images: pixel values only, as 16-bit greyscale PNGs (no header survives, so no
 * identifier can), plus the display hints the database keeps beside them. Files are written to a temporary name,
 * forced to disk and moved into place, so a crash never leaves half a file under a real name.
 */
public final class ImageArchive {

  /** How values were packed into 16 bits: value = stored * scale + offset. */
  public record Packing(double scale, double offset) {}

  private static final String HEATMAPS = "heatmaps";
  private static final String OVERLAYS = "overlays";

  private final Path root;

  public ImageArchive(Path root) throws IOException {
    this.root = DataFolder.privateDirectories(root);
    DataFolder.privateDirectories(root.resolve(HEATMAPS));
    DataFolder.privateDirectories(root.resolve(OVERLAYS));
  }

  /** Writes the heatmap overlay of an image durably; returns its path relative to the archive. */
  public String storeHeatmap(long imageId, BufferedImage overlay) throws IOException {
    return storePicture(HEATMAPS, imageId, overlay);
  }

  /** Writes the segmentation mask overlay of an image durably; returns its path relative to the archive. */
  public String storeOverlay(long imageId, BufferedImage overlay) throws IOException {
    return storePicture(OVERLAYS, imageId, overlay);
  }

  private String storePicture(String folder, long imageId, BufferedImage picture) throws IOException {
    String relative = folder + "/" + imageId + ".png";
    writeDurably(root.resolve(relative), picture);
    return relative;
  }

  /** Writes the pixels of {@code image} under a name derived from {@code sha256}; returns the relative path and packing. */
  public Stored store(Radiograph image, String sha256) throws IOException {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : image.values()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    boolean integral = isIntegral(image.values()) && max - min <= 65535;
    double scale = integral || max == min ? 1.0 : (max - min) / 65535.0;
    double offset = min;
    BufferedImage png = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_USHORT_GRAY);
    var raster = png.getRaster();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        long packed = Math.round((image.value(x, y) - offset) / scale);
        raster.setSample(x, y, 0, (int) Math.max(0, Math.min(65535, packed)));
      }
    }
    String relative = sha256.substring(0, 2) + "/" + sha256 + ".png";
    Path target = root.resolve(relative);
    DataFolder.privateDirectories(target.getParent());
    writeDurably(target, png);
    return new Stored(relative, new Packing(scale, offset));
  }

  public record Stored(String relativePath, Packing packing) {}

  /** Rebuilds the radiograph of a stored image from its copy and the hints kept in the database. */
  public Radiograph load(StoredImage s) throws IOException {
    Path file = root.resolve(s.storedPath());
    BufferedImage png = ImageIO.read(file.toFile());
    if (png == null) {
      throw new IOException(file + ": stored copy is not readable");
    }
    float[] values = new float[png.getWidth() * png.getHeight()];
    var raster = png.getRaster();
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        values[y * png.getWidth() + x] = (float) (raster.getSample(x, y, 0) * s.valueScale() + s.valueOffset());
      }
    }
    Optional<Radiograph.Window> window = s.windowCenter() == null || s.windowWidth() == null
        ? Optional.empty() : Optional.of(new Radiograph.Window(s.windowCenter(), s.windowWidth()));
    Optional<Radiograph.PixelSpacing> spacing = s.pixelSpacingMm() == null
        ? Optional.empty() : Optional.of(new Radiograph.PixelSpacing(s.pixelSpacingMm(), s.pixelSpacingMm(), "stored"));
    return new Radiograph(s.displayName(), s.format(), png.getWidth(), png.getHeight(), values, s.bitsStored(),
        s.invert(), window, spacing, s.modality());
  }

  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /**
   * Writes a PNG durably: a temporary file of its own (concurrent uploads of the same pixels each write their own, and
   * {@code createTempFile} makes it owner-only), fsync, atomic move; a reader sees the old file or the whole new one.
   */
  public static void writeDurably(Path target, BufferedImage image) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
    try {
      // Written through the channel, not ImageIO.write(File), which recreates the file with the umask's permissions.
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        if (!ImageIO.write(image, "png", java.nio.channels.Channels.newOutputStream(channel))) {
          throw new IOException("no PNG writer for " + target);
        }
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isIntegral(float[] values) {
    for (float v : values) {
      if (v != Math.rint(v)) {
        return false;
      }
    }
    return true;
  }
}
