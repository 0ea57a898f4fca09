package org.rheumalens.locate;

import org.rheumalens.preprocess.Plane;

/** Area-averaging resize: every source pixel counts with the share of it a target pixel covers (no aliasing). */
final class Resampling {

  private Resampling() {}

  static Plane area(Plane src, int width, int height) {
    float[] rows = new float[width * src.height()];
    double fx = (double) src.width() / width;
    for (int y = 0; y < src.height(); y++) {
      resampleLine(src.data(), y * src.width(), 1, src.width(), rows, y * width, 1, width, fx);
    }
    float[] out = new float[width * height];
    double fy = (double) src.height() / height;
    for (int x = 0; x < width; x++) {
      resampleLine(rows, x, width, src.height(), out, x, width, height, fy);
    }
    return new Plane(width, height, out);
  }

  /** Resamples one line of {@code n} values (stride {@code step}) to {@code m} values, each covering {@code f} sources. */
  private static void resampleLine(float[] in, int start, int step, int n, float[] out, int outStart, int outStep, int m,
      double f) {
    for (int i = 0; i < m; i++) {
      double from = i * f;
      double to = Math.min(n, (i + 1) * f);
      if (f <= 1) {
        // Enlarging: linear interpolation between source centres.
        double c = (i + 0.5) * f - 0.5;
        int a = (int) Math.floor(c);
        double t = c - a;
        int a0 = Math.max(0, Math.min(n - 1, a));
        int a1 = Math.max(0, Math.min(n - 1, a + 1));
        out[outStart + i * outStep] = (float) (in[start + a0 * step] * (1 - t) + in[start + a1 * step] * t);
        continue;
      }
      double sum = 0;
      double weight = 0;
      for (int k = (int) Math.floor(from); k < Math.ceil(to); k++) {
        double w = Math.min(to, k + 1) - Math.max(from, k);
        sum += w * in[start + k * step];
        weight += w;
      }
      out[outStart + i * outStep] = (float) (sum / weight);
    }
  }
}
