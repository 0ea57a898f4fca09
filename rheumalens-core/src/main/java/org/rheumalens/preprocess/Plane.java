package org.rheumalens.preprocess;

/** A greyscale image with intensities in [0, 1], row-major; the common currency of the preprocessing pipeline. */
public record Plane(int width, int height, float[] data) {

  public Plane {
    if (width <= 0 || height <= 0 || (long) width * height != data.length) {
      throw new IllegalArgumentException("plane " + width + "x" + height + " has " + data.length + " values");
    }
  }

  public static Plane blank(int width, int height) {
    return new Plane(width, height, new float[width * height]);
  }

  /** Left and right swapped. */
  public Plane mirrored() {
    float[] out = new float[data.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = data[y * width + (width - 1 - x)];
      }
    }
    return new Plane(width, height, out);
  }

  /**
   * Turned by {@code angle} radians, scaled by {@code scale} and shifted by ({@code shiftX}, {@code shiftY}) pixels
   * about the centre, then mirrored when {@code flip}; bilinear, edges repeated.
   */
  public Plane warped(double angle, double scale, double shiftX, double shiftY, boolean flip) {
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    // Inverse mapping: for each output pixel find its source position.
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      double dy = y - cy - shiftY;
      for (int x = 0; x < width; x++) {
        double dx = x - cx - shiftX;
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        if (flip) {
          sx = width - 1 - sx;
        }
        out[y * width + x] = sample((float) sx, (float) sy);
      }
    }
    return new Plane(width, height, out);
  }

  public float at(int x, int y) {
    return data[y * width + x];
  }

  /** Bilinear sample at a real-valued position, clamping to the border. */
  public float sample(float x, float y) {
    float cx = Math.max(0, Math.min(width - 1, x));
    float cy = Math.max(0, Math.min(height - 1, y));
    int x0 = (int) cx;
    int y0 = (int) cy;
    int x1 = Math.min(x0 + 1, width - 1);
    int y1 = Math.min(y0 + 1, height - 1);
    float fx = cx - x0;
    float fy = cy - y0;
    float top = data[y0 * width + x0] * (1 - fx) + data[y0 * width + x1] * fx;
    float bottom = data[y1 * width + x0] * (1 - fx) + data[y1 * width + x1] * fx;
    return top * (1 - fy) + bottom * fy;
  }

  /** Quantises to 8 bits (for compact caching and PNG output). */
  public byte[] toBytes() {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, data[i])) * 255f);
    }
    return out;
  }

  public static Plane fromBytes(int width, int height, byte[] bytes) {
    float[] data = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (bytes[i] & 0xff) / 255f;
    }
    return new Plane(width, height, data);
  }
}
