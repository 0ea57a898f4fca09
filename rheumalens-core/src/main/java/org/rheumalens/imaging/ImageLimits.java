package org.rheumalens.imaging;

/** Guards against decompression bombs: images are checked against these limits before pixel data is decoded. */
public record ImageLimits(long maxPixels, int maxSide) {

  /** Generous for radiographs (a 43x43 cm detector at 0.1 mm is 4300x4300), far below a 40000x40000 bomb. */
  public static final ImageLimits DEFAULT = new ImageLimits(10_000L * 10_000L, 16_384);

  /** Throws when a width x height image exceeds the limits. */
  public void check(String source, long width, long height) throws ImageReadException {
    if (width <= 0 || height <= 0) {
      throw new ImageReadException(source, "image has no pixels (" + width + "x" + height + ")");
    }
    if (width > maxSide || height > maxSide || width * height > maxPixels) {
      throw new ImageReadException(
          source,
          "image is "
              + width
              + "x"
              + height
              + " pixels, over the limit of "
              + maxSide
              + " per side and "
              + maxPixels
              + " in all (possible decompression bomb); downsample it first");
    }
  }
}
