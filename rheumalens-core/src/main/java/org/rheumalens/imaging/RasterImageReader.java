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
    boolean colour = false;
    for (int y = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int base = x * bands;
        int v = row[base];
        if (bands >= 3) {
          int g = row[base + 1];
          int b = row[base + 2];
          if (Math.abs(v - g) > 2 || Math.abs(v - b) > 2) {
            colour = true;
          }
          v = (v + g + b) / 3;
        }
        values[y * width + x] = v;
      }
    }
    if (colour) {
      throw new ImageReadException(
          source, "colour image (RGB with differing channels): a radiograph must be greyscale");
    }
    return new Radiograph(
        source, format, width, height, values, bits, false, Optional.empty(), Optional.empty(), "OT");
  }
}
