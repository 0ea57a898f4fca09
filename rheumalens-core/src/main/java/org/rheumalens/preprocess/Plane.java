package org.rheumalens.preprocess;

import java.util.List;

/**
 * An image with intensities in [0, 1], row-major; the common currency of the preprocessing pipeline. Mostly grey
 * (one channel); a colour plane holds its channels one after the other (R plane, G plane, B plane), the layout the
 * network's N x C x H x W input takes, and a {@link Pipeline} runs its steps on each channel alike.
 */
public record Plane(int width, int height, int channels, float[] data) {

  public Plane {
    if (width <= 0 || height <= 0 || channels <= 0 || (long) width * height * channels != data.length) {
      throw new IllegalArgumentException(
          "plane " + width + "x" + height + "x" + channels + " has " + data.length + " values");
    }
  }

  /** A grey plane. */
  public Plane(int width, int height, float[] data) {
    this(width, height, 1, data);
  }

  public static Plane blank(int width, int height) {
    return new Plane(width, height, new float[width * height]);
  }

  /** Channel {@code c} as a grey plane. */
  public Plane channel(int c) {
    int pixels = width * height;
    return new Plane(width, height, java.util.Arrays.copyOfRange(data, c * pixels, (c + 1) * pixels));
  }

  /** Grey planes of one size as the channels of one plane, in order. */
  public static Plane stack(List<Plane> greys) {
    Plane first = greys.get(0);
    int pixels = first.width * first.height;
    float[] out = new float[pixels * greys.size()];
    for (int c = 0; c < greys.size(); c++) {
      Plane g = greys.get(c);
      if (g.channels != 1 || g.width != first.width || g.height != first.height) {
        throw new IllegalArgumentException("channels to stack must be grey planes of one size");
      }
      System.arraycopy(g.data, 0, out, c * pixels, pixels);
    }
    return new Plane(first.width, first.height, greys.size(), out);
  }

  /** This grey plane repeated as {@code count} equal channels (a grey image for a colour network). */
  public Plane replicated(int count) {
    if (channels != 1) {
      throw new IllegalArgumentException("only a grey plane can be replicated, this one has " + channels + " channels");
    }
    return stack(java.util.Collections.nCopies(count, this));
  }

  /** The mean of the channels: this plane when it is grey; for display and image-quality measures. */
  public Plane grey() {
    if (channels == 1) {
      return this;
    }
    int pixels = width * height;
    float[] out = new float[pixels];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < pixels; i++) {
        out[i] += data[c * pixels + i] / channels;
      }
    }
    return new Plane(width, height, out);
  }

  /** Left and right swapped. */
  public Plane mirrored() {
    float[] out = new float[data.length];
    for (int y = 0; y < height * channels; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = data[y * width + (width - 1 - x)];
      }
    }
    return new Plane(width, height, channels, out);
  }

  /**
   * Turned by {@code angle} radians, scaled by {@code scale} and shifted by ({@code shiftX}, {@code shiftY}) pixels
   * about the centre, then mirrored when {@code flip}; bilinear, edges repeated; every channel alike.
   */
  public Plane warped(double angle, double scale, double shiftX, double shiftY, boolean flip) {
    if (channels > 1) {
      return stack(java.util.stream.IntStream.range(0, channels)
          .mapToObj(c -> channel(c).warped(angle, scale, shiftX, shiftY, flip)).toList());
    }
    float[] out = new float[width * height];
    new AffineWarp(angle, scale, shiftX, shiftY, flip).forEachPixel(width, height,
        (i, sx, sy) -> out[i] = sample((float) sx, (float) sy));
    return new Plane(width, height, out);
  }

  /** The value at column x, row y (of the first channel). */
  public float at(int x, int y) {
    return data[y * width + x];
  }

  /** Bilinear sample of the first channel at a real-valued position, clamping to the border. */
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

  /** Quantises to 8 bits (for compact caching and PNG output), every channel. */
  public byte[] toBytes() {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, data[i])) * 255f);
    }
    return out;
  }

  /** The plane {@link #toBytes()} wrote; its channel count follows from the byte count. */
  public static Plane fromBytes(int width, int height, byte[] bytes) {
    float[] data = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (bytes[i] & 0xff) / 255f;
    }
    return new Plane(width, height, bytes.length / (width * height), data);
  }
}
