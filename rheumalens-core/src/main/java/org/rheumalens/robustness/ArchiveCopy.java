package org.rheumalens.robustness;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.rheumalens.preprocess.GaussianBlur;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.RandomAffine;

/**
 * Another archive's copy of a knee crop: what the same film looks like when it comes from a clinic's PACS instead of
 * the contrast-enhanced research set. Each {@link Difference} changes one thing the way real archives differ; {@link
 * Difference#ARCHIVE_COPY} draws all of them at once, which is what the grade must survive (issue 19: the grade of two
 * copies of a knee must agree in at least 90%).
 *
 * <p>The raw look is fitted to the owners' measurements of 776 real un-enhanced copies of these knees
 * ({@code ../shared/data/knee-kl/REAL-RAW.md}): brighter (mean 156 against 149), flatter (sd 35 against 45, 1st/99th
 * percentile 61/220) and with about half the local contrast and edge strength. Detail around an 8-pixel Gaussian kept
 * at half, the background range at 0.85, and 0.8 grey levels of noise give, over 83 val crops (medians), mean 155,
 * sd 33, percentiles 65/211, local contrast 9.3 and gradient 5.8 ({@link ImageStatistics}, checked by
 * ArchiveCopyTest). The grid search that chose them is in docs/knee-model.md.
 */
public final class ArchiveCopy {

  /** What differs between the copies. */
  public enum Difference {
    /** Un-enhanced: brighter, flatter, half the local contrast (the real raw copies' look), 8-bit PNG. */
    RAW_LOOK,
    /** The crop moved by up to 2% of its size, scaled by up to 4% and turned by up to 1 degree. */
    CROP,
    /** Unsharp masking, as some modalities' processing does. */
    SHARPENED,
    /** Sensor and quantisation noise, 1-3 grey levels. */
    NOISE,
    /** JPEG re-compression at quality 70-92. */
    JPEG,
    /** Stored as 10, 12 or 16 bits in a 16-bit PNG. */
    BIT_DEPTH,
    /** Another window: tails clipped and the range stretched, or the range compressed with a lifted floor. */
    WINDOW,
    /** All of the above at once, each drawn at random (the raw look always; sharpened or softened, not both). */
    ARCHIVE_COPY,
    /**
     * Softer: a Gaussian blur of 0.4-1.2 pixels, as a copy resampled from another resolution or read through a softer
     * reconstruction kernel is. Listed last so that the other differences keep their seeds (the study seeds each copy
     * by the difference's position).
     */
    SOFTENED
  }

  private static final double RAW_DETAIL_SIGMA = 8;
  private static final double RAW_DETAIL = 0.5;
  private static final double RAW_BACKGROUND = 0.85;
  private static final double RAW_MEAN = 156 / 255.0;
  private static final double RAW_NOISE = 0.8 / 255.0;

  private ArchiveCopy() {
  }

  /**
   * Writes {@code enhanced} (grey values 0..1) as another archive's copy into {@code dir} under {@code stem} (the
   * extension follows the storage drawn) and returns the file.
   */
  public static Path write(Plane enhanced, Difference difference, Path dir, String stem, RandomGenerator random)
      throws IOException {
    Copy copy = draw(enhanced, difference, random);
    Files.createDirectories(dir);
    return switch (copy.storage()) {
      case PNG8 -> writePng8(copy.look(), dir.resolve(stem + ".png"));
      case PNG16 -> writePng16(copy.look(), copy.bits(), dir.resolve(stem + ".png"), random);
      case JPEG -> writeJpeg(copy.look(), copy.jpegQuality(), dir.resolve(stem + ".jpg"));
    };
  }

  /**
   * The same copy without a file: the grey values as they would read back from the storage drawn (8 bits, 10-16 bits
   * or a JPEG round trip in memory). Training's archive augmentation uses this.
   */
  public static Plane inMemory(Plane enhanced, Difference difference, RandomGenerator random) {
    Copy copy = draw(enhanced, difference, random);
    return switch (copy.storage()) {
      case PNG8 -> quantised(copy.look(), 8, null);
      case PNG16 -> quantised(copy.look(), copy.bits(), random);
      case JPEG -> jpegRoundTrip(copy.look(), copy.jpegQuality());
    };
  }

  private enum Storage { PNG8, PNG16, JPEG }

  private record Copy(Plane look, Storage storage, int bits, double jpegQuality) {
  }

  private static Copy draw(Plane enhanced, Difference difference, RandomGenerator random) {
    Plane v = enhanced;
    boolean all = difference == Difference.ARCHIVE_COPY;
    if (difference == Difference.RAW_LOOK || all) {
      v = rawLook(v, random);
    }
    if (difference == Difference.CROP || all) {
      v = new RandomAffine(0, 1, 0.04, 0.02).apply(v, random);
    }
    double sharpness = all ? random.nextDouble() : 1;
    if (difference == Difference.SHARPENED || sharpness < 0.3) {
      v = sharpened(v, 1 + random.nextDouble(), 0.4 + random.nextDouble() * 0.6);
    } else if (difference == Difference.SOFTENED || sharpness < 0.7) {
      v = softened(v, 0.4 + random.nextDouble() * 0.8);
    }
    if (difference == Difference.NOISE || (all && random.nextBoolean())) {
      v = noisy(v, (1 + random.nextDouble() * 2) / 255.0, random);
    }
    if (difference == Difference.WINDOW || (all && random.nextBoolean())) {
      v = rewindowed(v, random);
    }
    if (difference == Difference.JPEG || (all && random.nextDouble() < 0.3)) {
      return new Copy(v, Storage.JPEG, 8, 0.70 + random.nextDouble() * 0.22);
    } else if (difference == Difference.BIT_DEPTH || (all && random.nextDouble() < 0.4)) {
      return new Copy(v, Storage.PNG16, new int[] {10, 12, 16}[random.nextInt(3)], 0.9);
    }
    return new Copy(v, Storage.PNG8, 8, 0.9);
  }

  /** The raw copies' look (see the class comment), each copy's strength drawn around the fitted values. */
  static Plane rawLook(Plane p, RandomGenerator random) {
    double detail = RAW_DETAIL * (0.8 + random.nextDouble() * 0.4);
    double background = RAW_BACKGROUND * (0.9 + random.nextDouble() * 0.2);
    double mean = RAW_MEAN + (random.nextDouble() * 2 - 1) * 0.03;
    return rawLook(p, detail, background, mean, RAW_NOISE, random);
  }

  /**
   * A raw look of given strength (grey values 0..1): the background (an 8-pixel Gaussian) scaled by {@code background}
   * around {@code mean}, the detail above it by {@code detail}, plus Gaussian noise of {@code noise} ({@code random}
   * may be null when it is 0). The study draws these around the fitted values; bench/raw-direction sets them.
   */
  public static Plane rawLook(Plane p, double detail, double background, double mean, double noise,
      RandomGenerator random) {
    float[] s = p.data();
    float[] low = GaussianBlur.blur(s, p.width(), p.height(), RAW_DETAIL_SIGMA, RAW_DETAIL_SIGMA);
    double lowMean = 0;
    for (float x : low) {
      lowMean += x;
    }
    lowMean /= low.length;
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      double grain = noise == 0 ? 0 : noise * random.nextGaussian();
      out[i] = clip(mean + background * (low[i] - lowMean) + detail * (s[i] - low[i]) + grain);
    }
    return new Plane(p.width(), p.height(), out);
  }

  static Plane sharpened(Plane p, double sigma, double amount) {
    float[] low = GaussianBlur.blur(p.data(), p.width(), p.height(), sigma, sigma);
    float[] out = new float[low.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(p.data()[i] + amount * (p.data()[i] - low[i]));
    }
    return new Plane(p.width(), p.height(), out);
  }

  static Plane softened(Plane p, double sigma) {
    return new Plane(p.width(), p.height(), GaussianBlur.blur(p.data(), p.width(), p.height(), sigma, sigma));
  }

  static Plane noisy(Plane p, double sd, RandomGenerator random) {
    float[] out = new float[p.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(p.data()[i] + sd * random.nextGaussian());
    }
    return new Plane(p.width(), p.height(), out);
  }

  /** Either clips 0.5-3% at each tail and stretches, or compresses into a narrower range with a lifted floor. */
  static Plane rewindowed(Plane p, RandomGenerator random) {
    float[] sorted = p.data().clone();
    Arrays.sort(sorted);
    double low;
    double high;
    if (random.nextBoolean()) {
      double tail = 0.005 + random.nextDouble() * 0.025;
      low = sorted[(int) (tail * (sorted.length - 1))];
      high = sorted[(int) ((1 - tail) * (sorted.length - 1))];
    } else {
      double widen = 0.1 + random.nextDouble() * 0.3;
      low = sorted[0] - widen;
      high = sorted[sorted.length - 1] + widen * 0.3;
    }
    double span = Math.max(high - low, 1e-6);
    float[] out = new float[sorted.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip((p.data()[i] - low) / span);
    }
    return new Plane(p.width(), p.height(), out);
  }

  private static float clip(double v) {
    return (float) (v < 0 ? 0 : v > 1 ? 1 : v);
  }

  private static BufferedImage grey8(Plane p) {
    BufferedImage image = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) Math.round(p.data()[i] * 255);
    }
    return image;
  }

  private static Path writePng8(Plane p, Path file) throws IOException {
    ImageIO.write(grey8(p), "png", file.toFile());
    return file;
  }

  /** {@code bits} significant bits in a 16-bit PNG; below 16, with a random sub-grey-level remainder as real detectors have. */
  private static Path writePng16(Plane p, int bits, Path file, RandomGenerator random) throws IOException {
    BufferedImage image = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_USHORT_GRAY);
    short[] data = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
    int[] levels = levels(p, bits, random);
    for (int i = 0; i < data.length; i++) {
      data[i] = (short) levels[i];
    }
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  /** Each pixel's stored level at {@code bits} bits; with {@code dither}, a random sub-grey-level remainder. */
  private static int[] levels(Plane p, int bits, RandomGenerator dither) {
    int max = (1 << bits) - 1;
    int[] out = new int[p.data().length];
    for (int i = 0; i < out.length; i++) {
      double remainder = dither == null ? 0 : (dither.nextDouble() - 0.5) / 255.0;
      out[i] = (int) Math.round(clip(p.data()[i] + remainder) * max);
    }
    return out;
  }

  private static Plane quantised(Plane p, int bits, RandomGenerator dither) {
    int[] levels = levels(p, bits, dither);
    float max = (1 << bits) - 1;
    float[] out = new float[levels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = levels[i] / max;
    }
    return new Plane(p.width(), p.height(), out);
  }

  private static Plane jpegRoundTrip(Plane p, double quality) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      encodeJpeg(grey8(p), quality, bytes);
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      float[] out = new float[p.data().length];
      Raster raster = decoded.getRaster();
      for (int y = 0; y < p.height(); y++) {
        for (int x = 0; x < p.width(); x++) {
          out[y * p.width() + x] = raster.getSample(x, y, 0) / 255f;
        }
      }
      return new Plane(p.width(), p.height(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG round trip in memory failed", e);
    }
  }

  private static Path writeJpeg(Plane p, double quality, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      encodeJpeg(grey8(p), quality, out);
    }
    return file;
  }

  private static void encodeJpeg(BufferedImage image, double quality, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality((float) quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
