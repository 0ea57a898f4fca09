package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Centre-crops to a square and resizes to size x size. Large downscales (a 2000-pixel radiograph to 224) average
 * whole source blocks first, so fine trabecular texture does not alias into noise.
 */
public final class SquareResize implements PlaneTransform {

  private final int size;

  public SquareResize(int size) {
    this.size = size;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    int side = Math.min(plane.width(), plane.height());
    int x0 = (plane.width() - side) / 2;
    int y0 = (plane.height() - side) / 2;
    Plane square = crop(plane, x0, y0, side);
    int factor = side / size;
    if (factor >= 2) {
      square = boxDownscale(square, factor);
    }
    if (square.width() == size) {
      return square;
    }
    float scale = (float) square.width() / size;
    float[] out = new float[size * size];
    for (int y = 0; y < size; y++) {
      float sy = (y + 0.5f) * scale - 0.5f;
      for (int x = 0; x < size; x++) {
        out[y * size + x] = square.sample((x + 0.5f) * scale - 0.5f, sy);
      }
    }
    return new Plane(size, size, out);
  }

  private static Plane crop(Plane plane, int x0, int y0, int side) {
    if (x0 == 0 && y0 == 0 && side == plane.width() && side == plane.height()) {
      return plane;
    }
    float[] out = new float[side * side];
    for (int y = 0; y < side; y++) {
      System.arraycopy(plane.data(), (y0 + y) * plane.width() + x0, out, y * side, side);
    }
    return new Plane(side, side, out);
  }

  /** Mean of each factor x factor block: the antialiased first step of a large downscale. */
  public static Plane boxDownscale(Plane plane, int factor) {
    int w = plane.width() / factor;
    int h = plane.height() / factor;
    float[] out = new float[w * h];
    float norm = 1f / (factor * factor);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sum = 0;
        for (int dy = 0; dy < factor; dy++) {
          int row = (y * factor + dy) * plane.width() + x * factor;
          for (int dx = 0; dx < factor; dx++) {
            sum += plane.data()[row + dx];
          }
        }
        out[y * w + x] = sum * norm;
      }
    }
    return new Plane(w, h, out);
  }
}
