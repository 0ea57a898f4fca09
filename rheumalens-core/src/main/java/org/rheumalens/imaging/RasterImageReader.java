package org.rheumalens.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** PNG, JPEG, TIFF and BMP files (8 or 16 bit grey, or grey stored as colour) through ImageIO. */
public final class RasterImageReader implements ImageFormatReader {

  /** BITMAPCOREHEADER to BITMAPV5HEADER: the sizes a BMP's second header can have. */
  private static final Set<Integer> BMP_HEADER_SIZES = Set.of(12, 40, 52, 56, 64, 108, 124);

  /** BMP compressions: run-length encoded, or a whole JPEG or PNG stream. */
  private static final long BI_RLE8 = 1;
  private static final long BI_RLE4 = 2;
  private static final long BI_JPEG = 4;
  private static final long BI_PNG = 5;

  private final ColourHandling colour;

  /** Refuses images in true colour. */
  public RasterImageReader() {
    this(ColourHandling.REFUSE);
  }

  public RasterImageReader(ColourHandling colour) {
    this.colour = colour;
  }

  @Override
  public boolean recognises(byte[] head) {
    return isPng(head) || isJpeg(head) || isTiff(head) || isBmp(head);
  }

  static boolean isPng(byte[] h) {
    return h.length >= 8 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G';
  }

  static boolean isJpeg(byte[] h) {
    return h.length >= 3 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8 && (h[2] & 0xff) == 0xff;
  }

  static boolean isTiff(byte[] h) {
    if (h.length < 4) {
      return false;
    }
    boolean little = h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0;
    boolean big = h[0] == 'M' && h[1] == 'M' && h[2] == 0 && h[3] == 42;
    return little || big;
  }

  /** "BM" alone starts too many text files: the size of the header that follows must be one of the known ones too. */
  static boolean isBmp(byte[] h) {
    if (h.length < 18 || h[0] != 'B' || h[1] != 'M') {
      return false;
    }
    int headerSize = (h[14] & 0xff) | (h[15] & 0xff) << 8 | (h[16] & 0xff) << 16 | (h[17] & 0xff) << 24;
    return BMP_HEADER_SIZES.contains(headerSize);
  }

  @Override
  public Radiograph read(Path file, ImageLimits limits) throws ImageReadException {
    String source = file.toString();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      checkBmpHeader(source, file);
      Iterator<ImageReader> candidates = ImageIO.getImageReaders(in);
      if (!candidates.hasNext()) {
        throw new ImageReadException(source, "no image decoder recognises this file");
      }
      ImageReader reader = candidates.next();
      try {
        reader.setInput(in, true, true);
        // The header gives the size before any pixel is decoded: refuse bombs here.
        limits.check(source, reader.getWidth(0), reader.getHeight(0));
        // A JPEG cut short decodes without an exception, its missing rows grey; only a warning says so.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new ImageReadException(source, "corrupt or truncated image data (" + warnings.get(0) + ")");
        }
        return toRadiograph(source, formatName(reader), image);
      } finally {
        reader.dispose();
      }
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageReadException(
          source, "corrupt or truncated image data (" + ImageReadException.describe(e) + ")", e);
    }
  }

  /**
   * jai-imageio's BMP reader allocates the bitmap size a header declares for a compressed bitmap before reading a byte
   * of it (1.2 GB for a 251-byte file the fuzzer made), and a bitmap that embeds a JPEG or PNG stream is no radiograph
   * export: both are refused from the header. Uncompressed bitmaps are read by their dimensions (bounded by
   * ImageLimits), whatever size the header states. A BITMAPCOREHEADER (12 bytes) has neither field.
   */
  private static void checkBmpHeader(String source, Path file) throws IOException {
    byte[] head = new byte[38];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < head.length || !isBmp(head)) {
      return;
    }
    ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    if (header.getInt(14) < 40) {
      return;
    }
    long compression = Integer.toUnsignedLong(header.getInt(30));
    if (compression == BI_JPEG || compression == BI_PNG) {
      throw new ImageReadException(source, "BMP with an embedded " + (compression == BI_JPEG ? "JPEG" : "PNG")
          + " bitmap is not supported; export the image as PNG or TIFF");
    }
    long declared = Integer.toUnsignedLong(header.getInt(34));
    long size = Files.size(file);
    if ((compression == BI_RLE8 || compression == BI_RLE4) && declared > size) {
      throw new ImageReadException(
          source, "BMP declares " + declared + " bytes of bitmap in a file of " + size + " bytes: truncated or damaged");
    }
  }

  /** "PNG", "JPEG", "TIFF" or "BMP", whichever of the installed plug-ins decodes it. */
  private static String formatName(ImageReader reader) throws IOException {
    String name = reader.getFormatName().toUpperCase(Locale.ROOT);
    return name.equals("TIF") ? "TIFF" : name;
  }

  private Radiograph toRadiograph(String source, String format, BufferedImage image) throws ImageReadException {
    int bits = image.getColorModel().getComponentSize(0);
    ColourCheck.Pixels pixels =
        ColourCheck.pixels(
            image,
            bits,
            colour,
            percent ->
                new ImageReadException(
                    source,
                    "colour image (RGB, " + percent + "% of pixels in colour); a radiograph must be greyscale"));
    return new Radiograph(
        source,
        format,
        image.getWidth(),
        image.getHeight(),
        pixels.values(),
        pixels.bits(),
        false,
        Optional.empty(),
        Optional.empty(),
        "OT",
        pixels.channels());
  }
}
