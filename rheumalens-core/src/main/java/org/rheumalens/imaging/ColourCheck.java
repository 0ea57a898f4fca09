package org.rheumalens.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.function.IntFunction;

/**
 * The one colour rule of every reader: an image whose channels agree (grey saved as RGB, JPEG chroma noise, a small
 * burnt-in coloured marker) is grey, and anything else is in colour, refused or turned into luma as the caller asks.
 * A caller that keeps colour gets every image stored as colour in R, G and B, whether its channels agree or not.
 */
final class ColourCheck {

  /** Channels further apart than this, in levels of 255 (scaled for deeper samples), make a pixel coloured. */
  static final int TOLERANCE_8_BIT = 8;

  /** More than this share of coloured pixels makes an image coloured. */
  static final double MAX_COLOUR_SHARE = 0.01;

  private ColourCheck() {}

  /** Grey values, or R, G and B planes one after the other, with the number of significant bits they have. */
  record Pixels(float[] values, int bits, int channels) {
    Pixels(float[] values, int bits) {
      this(values, bits, 1);
    }
  }

  /**
   * The grey values of a decoded image, row-major; its R, G and B planes when {@code handling} keeps colour.
   *
   * @param bits significant bits of the image's samples (the palette's 8 for an indexed image)
   * @param refusal the exception for an image in colour that may not be converted, given the percentage of its pixels
   *     in colour
   */
  static Pixels pixels(BufferedImage image, int bits, ColourHandling handling, IntFunction<ImageReadException> refusal)
      throws ImageReadException {
    int width = image.getWidth();
    int height = image.getHeight();
    float[] values = new float[width * height];
    ColorModel model = image.getColorModel();
    boolean indexed = model instanceof IndexColorModel;
    int space = model.getColorSpace().getType();
    if (!indexed && space == ColorSpace.TYPE_GRAY) {
      Raster raster = image.getRaster();
      float[] row = new float[width];
      for (int y = 0; y < height; y++) {
        System.arraycopy(raster.getSamples(0, y, width, 1, 0, row), 0, values, y * width, width);
      }
      return new Pixels(values, bits);
    }
    // Palettes and colour spaces other than RGB go through Java's conversion to 8-bit sRGB.
    RgbRows rows = new RgbRows(image, indexed || space != ColorSpace.TYPE_RGB || image.getRaster().getNumBands() < 3);
    int depth = rows.viaSrgb ? 8 : bits;
    if (handling == ColourHandling.KEEP) {
      return new Pixels(planar(rows, width, height), depth, 3);
    }
    int tolerance = depth > 8 ? TOLERANCE_8_BIT << (depth - 8) : TOLERANCE_8_BIT;
    int[] rgb = new int[3 * width];
    long colourPixels = 0;
    for (int y = 0; y < height; y++) {
      rows.read(y, rgb);
      for (int x = 0; x < width; x++) {
        int r = rgb[3 * x];
        int g = rgb[3 * x + 1];
        int b = rgb[3 * x + 2];
        if (Math.abs(r - g) > tolerance || Math.abs(r - b) > tolerance) {
          colourPixels++;
        }
        // Channels that differ only by noise: their mean is the best estimate of the grey (and what was always read).
        values[y * width + x] = (r + g + b) / 3;
      }
    }
    long pixels = (long) width * height;
    if (colourPixels <= MAX_COLOUR_SHARE * pixels) {
      return new Pixels(values, depth);
    }
    if (handling == ColourHandling.REFUSE) {
      throw refusal.apply((int) Math.round(100.0 * colourPixels / pixels));
    }
    for (int y = 0; y < height; y++) {
      rows.read(y, rgb);
      for (int x = 0; x < width; x++) {
        values[y * width + x] = Math.round(0.299f * rgb[3 * x] + 0.587f * rgb[3 * x + 1] + 0.114f * rgb[3 * x + 2]);
      }
    }
    return new Pixels(values, depth);
  }

  /** R, G and B of every pixel, one plane after the other. */
  private static float[] planar(RgbRows rows, int width, int height) {
    int pixels = width * height;
    float[] values = new float[3 * pixels];
    int[] rgb = new int[3 * width];
    for (int y = 0; y < height; y++) {
      rows.read(y, rgb);
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          values[c * pixels + y * width + x] = rgb[3 * x + c];
        }
      }
    }
    return values;
  }

  /** Reads rows as interleaved R, G, B samples: from the raster's first three bands, or through sRGB. */
  private static final class RgbRows {
    private final BufferedImage image;
    private final boolean viaSrgb;
    private final int[] row;

    RgbRows(BufferedImage image, boolean viaSrgb) {
      this.image = image;
      this.viaSrgb = viaSrgb;
      this.row = new int[image.getWidth() * (viaSrgb ? 1 : image.getRaster().getNumBands())];
    }

    void read(int y, int[] rgb) {
      int width = image.getWidth();
      if (viaSrgb) {
        image.getRGB(0, y, width, 1, row, 0, width);
        for (int x = 0; x < width; x++) {
          int p = row[x];
          rgb[3 * x] = (p >> 16) & 0xff;
          rgb[3 * x + 1] = (p >> 8) & 0xff;
          rgb[3 * x + 2] = p & 0xff;
        }
        return;
      }
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0; x < width; x++) {
        System.arraycopy(row, x * bands, rgb, 3 * x, 3);
      }
    }
  }
}
