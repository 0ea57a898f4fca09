package org.rheumalens.imaging;

import java.util.Objects;
import java.util.Optional;

/**
 * A decoded single-frame image in modality units, with the display hints its file carried: grey, or in colour (R, G
 * and B one plane after the other) where the reader was asked to keep colour ({@link ColourHandling#KEEP}).
 *
 * @param source where it came from (file name), for error messages and reports
 * @param format container/codec it was read from, e.g. "PNG", "DICOM 1.2.840.10008.1.2.4.70"
 * @param width columns
 * @param height rows
 * @param values row-major pixel values after the modality LUT (rescale slope/intercept), not yet windowed; channel
 *     by channel in a colour image
 * @param bitsStored significant bits of the stored values (8 for an 8-bit PNG, 12 for a typical CR)
 * @param invert true for MONOCHROME1 (higher values display darker)
 * @param window the VOI window the file asks for, if any
 * @param pixelSpacing physical size of a pixel, if the file states it
 * @param modality DICOM modality (CR, DX, ...) or "OT" for plain image files
 * @param channels 1 (grey) or 3 (R, G, B)
 */
public record Radiograph(
    String source,
    String format,
    int width,
    int height,
    float[] values,
    int bitsStored,
    boolean invert,
    Optional<Window> window,
    Optional<PixelSpacing> pixelSpacing,
    String modality,
    int channels) {

  public Radiograph {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(values, "values");
    if (width <= 0 || height <= 0 || channels <= 0 || (long) width * height * channels != values.length) {
      throw new IllegalArgumentException("pixel count " + values.length + " does not match " + width + "x" + height
          + (channels == 1 ? "" : "x" + channels));
    }
  }

  /** A grey image. */
  public Radiograph(String source, String format, int width, int height, float[] values, int bitsStored,
      boolean invert, Optional<Window> window, Optional<PixelSpacing> pixelSpacing, String modality) {
    this(source, format, width, height, values, bitsStored, invert, window, pixelSpacing, modality, 1);
  }

  /** The value at column x, row y (of the first channel). */
  public float value(int x, int y) {
    return values[y * width + x];
  }

  /** A VOI LUT linear window (DICOM PS3.3 C.11.2.1.2). */
  public record Window(double center, double width) {
    public Window {
      if (!(width >= 1)) {
        throw new IllegalArgumentException("window width must be >= 1, was " + width);
      }
    }
  }

  /** Millimetres per pixel between rows and between columns, and which attribute said so. */
  public record PixelSpacing(double rowMm, double columnMm, String attribute) {}
}
