package org.rheumalens.segmentation;

/**
 * Exact Euclidean distance transform of a binary image (Felzenszwalb and Huttenlocher, "Distance transforms of sampled
 * functions", 2012): two passes of the 1-D lower envelope of parabolas, linear in the number of pixels. Steps per axis
 * let it measure in millimetres on pixels that are not square.
 */
final class DistanceTransform {

  /** Stands in for "no feature yet" inside the passes; finite so that differences of it stay defined. */
  private static final double FAR = 1e30;

  private DistanceTransform() {}

  /**
   * The distance from every pixel centre to the centre of the nearest {@code feature} pixel, in the units of
   * {@code columnStep} (along x) and {@code rowStep} (along y); positive infinity everywhere when there is no feature.
   */
  static double[] distances(boolean[] feature, int width, int height, double columnStep, double rowStep) {
    double[] squared = new double[width * height];
    boolean any = false;
    for (int i = 0; i < squared.length; i++) {
      squared[i] = feature[i] ? 0 : FAR;
      any |= feature[i];
    }
    double[] out = new double[squared.length];
    if (!any) {
      java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
      return out;
    }
    int longest = Math.max(width, height);
    double[] line = new double[longest];
    double[] result = new double[longest];
    Envelope envelope = new Envelope(longest);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        line[y] = squared[y * width + x];
      }
      envelope.transform(line, height, rowStep, result);
      for (int y = 0; y < height; y++) {
        squared[y * width + x] = result[y];
      }
    }
    for (int y = 0; y < height; y++) {
      System.arraycopy(squared, y * width, line, 0, width);
      envelope.transform(line, width, columnStep, result);
      for (int x = 0; x < width; x++) {
        out[y * width + x] = Math.sqrt(result[x]);
      }
    }
    return out;
  }

  /** Working arrays of the 1-D pass, reused for every line. */
  private static final class Envelope {
    private final int[] vertices;
    private final double[] bounds;

    Envelope(int length) {
      vertices = new int[length];
      bounds = new double[length + 1];
    }

    /** out[p] = min over q of f[q] + (step (p - q))^2, for p, q in 0..n-1. */
    void transform(double[] f, int n, double step, double[] out) {
      double s2 = step * step;
      int k = 0;
      vertices[0] = 0;
      bounds[0] = Double.NEGATIVE_INFINITY;
      bounds[1] = Double.POSITIVE_INFINITY;
      for (int q = 1; q < n; q++) {
        // Where the parabola rooted at q overtakes the envelope's last; bounds[0] is -infinity, so k stays >= 0.
        double s = crossing(f, s2, vertices[k], q);
        while (s <= bounds[k]) {
          k--;
          s = crossing(f, s2, vertices[k], q);
        }
        k++;
        vertices[k] = q;
        bounds[k] = s;
        bounds[k + 1] = Double.POSITIVE_INFINITY;
      }
      k = 0;
      for (int p = 0; p < n; p++) {
        while (bounds[k + 1] < p) {
          k++;
        }
        int v = vertices[k];
        out[p] = s2 * (p - v) * (p - v) + f[v];
      }
    }

    private static double crossing(double[] f, double s2, int v, int q) {
      return ((f[q] + s2 * q * q) - (f[v] + s2 * v * v)) / (2 * s2 * (q - v));
    }
  }
}
