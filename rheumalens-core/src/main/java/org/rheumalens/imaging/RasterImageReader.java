package org.rheumalens.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** PNG and JPEG files (8 or 16 bit grey, or grey stored as RGB) through ImageIO. */
public final class RasterImageReader implements ImageFormatReader {

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
        String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
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

  private static Radiograph toRadiograph(String source, String format, BufferedImage image)
      throws ImageReadException {
    Raster raster = image.getRaster();
    int width = image.getWidth();
    int height = image.getHeight();
    int bands = raster.getNumBands();
    int bits = image.getColorModel().getComponentSize(0);
    float[] values = new float[width * height];
    int[] row = new int[width * bands];
    // Grey saved as RGB is fine, and so are JPEG chroma noise and a small burnt-in coloured marker: only more than
    // 1% of pixels whose channels differ by more than 8 levels (of 255) make a colour image.
    int tolerance = bits > 8 ? 8 << (bits - 8) : 8;
    long colourPixels = 0;
    for (int y = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int base = x * bands;
        int v = row[base];
        if (bands >= 3) {
          int g = row[base + 1];
          int b = row[base + 2];
          if (Math.abs(v - g) > tolerance || Math.abs(v - b) > tolerance) {
            colourPixels++;
          }
          v = (v + g + b) / 3;
        }
        values[y * width + x] = v;
      }
    }
    if (colourPixels * 100 > (long) width * height) {
      throw new ImageReadException(
          source,
          "colour image (RGB, "
              + Math.round(100.0 * colourPixels / ((long) width * height))
              + "% of pixels in colour); a radiograph must be greyscale");
    }
    return new Radiograph(
        source, format, width, height, values, bits, false, Optional.empty(), Optional.empty(), "OT");
  }
}
