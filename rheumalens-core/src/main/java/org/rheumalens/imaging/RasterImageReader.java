package org.rheumalens.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** PNG and JPEG files (8 or 16 bit grey, or grey stored as colour) through ImageIO. */
public final class RasterImageReader implements ImageFormatReader {

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
    return isPng(head) || isJpeg(head);
  }

  static boolean isPng(byte[] h) {
    return h.length >= 8 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G';
  }

  static boolean isJpeg(byte[] h) {
    return h.length >= 3 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8 && (h[2] & 0xff) == 0xff;
  }

  @Override
  public Radiograph read(Path file, ImageLimits limits) throws ImageReadException {
    String source = file.toString();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> candidates = ImageIO.getImageReaders(in);
      if (!candidates.hasNext()) {
        throw new ImageReadException(source, "no image decoder recognises this file");
      }
      ImageReader reader = candidates.next();
      try {
        reader.setInput(in, true, true);
        // The header gives the size before any pixel is decoded: refuse bombs here.
        limits.check(source, reader.getWidth(0), reader.getHeight(0));
        BufferedImage image = reader.read(0);
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        return toRadiograph(source, format, image);
      } finally {
        reader.dispose();
      }
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageReadException(source, "corrupt or truncated image data (" + e.getMessage() + ")", e);
    }
  }

  private Radiograph toRadiograph(String source, String format, BufferedImage image) throws ImageReadException {
    int bits = image.getColorModel().getComponentSize(0);
    ColourCheck.Grey grey =
        ColourCheck.toGrey(
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
        grey.values(),
        grey.bits(),
        false,
        Optional.empty(),
        Optional.empty(),
        "OT");
  }
}
