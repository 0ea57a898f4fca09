package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Fits the whole image into a size x size square, keeping its aspect ratio and padding the short side with black,
 * centred. For images whose region of interest may lie anywhere (ultrasound frames, hands, whole joints), where the
 * knee's centre crop would cut it off.
 */
public final class LetterboxResize implements PlaneTransform {

  private final int size;

  public LetterboxResize(int size) {
    this.size = size;
  }

  /** Source pixels per output pixel for an image of this size. */
  public double sourcePixelsPerOutputPixel(int width, int height) {
    return Math.max(width, height) / (double) size;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    Plane source = plane;
    int factor = Math.max(source.width(), source.height()) / size;
    if (factor >= 2) {
      source = SquareResize.boxDownscale(source, factor);
    }
    double scale = Math.max(source.width(), source.height()) / (double) size;
    int width = Math.max(1, (int) Math.round(source.width() / scale));
    int height = Math.max(1, (int) Math.round(source.height() / scale));
    int x0 = (size - width) / 2;
    int y0 = (size - height) / 2;
    float[] out = new float[size * size];
    for (int y = 0; y < height; y++) {
      float sy = (float) ((y + 0.5) * scale - 0.5);
      for (int x = 0; x < width; x++) {
        out[(y0 + y) * size + x0 + x] = source.sample((float) ((x + 0.5) * scale - 0.5), sy);
      }
    }
    return new Plane(size, size, out);
  }
}
