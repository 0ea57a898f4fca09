package org.rheumalens.preprocess;

/** Separable Gaussian blur of a row-major float image, edges clamped; a sigma of 0 leaves that axis alone. */
public final class GaussianBlur {

  private GaussianBlur() {}

  /** Blurs {@code d} ({@code w} x {@code h}) with {@code sigmaX} along rows and {@code sigmaY} along columns. */
  public static float[] blur(float[] d, int w, int h, double sigmaX, double sigmaY) {
    float[] rows = sigmaX > 0 ? alongRows(d, w, h, kernel(sigmaX)) : d.clone();
    return sigmaY > 0 ? alongColumns(rows, w, h, kernel(sigmaY)) : rows;
  }

  private static float[] kernel(double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    float[] k = new float[2 * radius + 1];
    double total = 0;
    for (int i = -radius; i <= radius; i++) {
      total += Math.exp(-i * i / (2 * sigma * sigma));
    }
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = (float) (Math.exp(-i * i / (2 * sigma * sigma)) / total);
    }
    return k;
  }

  private static float[] alongRows(float[] d, int w, int h, float[] k) {
    int radius = k.length / 2;
    float[] out = new float[d.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float acc = 0;
        if (x >= radius && x < w - radius) {
          for (int j = 0; j < k.length; j++) {
            acc += k[j] * d[row + x - radius + j];
          }
        } else {
          for (int j = -radius; j <= radius; j++) {
            acc += k[j + radius] * d[row + Math.max(0, Math.min(w - 1, x + j))];
          }
        }
        out[row + x] = acc;
      }
    }
    return out;
  }

  /** Whole rows at a time, so the inner loop runs along contiguous memory. */
  private static float[] alongColumns(float[] d, int w, int h, float[] k) {
    int radius = k.length / 2;
    float[] out = new float[d.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int j = -radius; j <= radius; j++) {
        int source = Math.max(0, Math.min(h - 1, y + j)) * w;
        float weight = k[j + radius];
        for (int x = 0; x < w; x++) {
          out[row + x] += weight * d[source + x];
        }
      }
    }
    return out;
  }
}
