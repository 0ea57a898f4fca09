package org.rheumalens.robustness;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The measures the owners used to describe real un-enhanced knee radiographs against the enhanced crops
 * ({@code REAL-RAW.md}), on 8-bit grey values: a simulated copy is judged by the same numbers.
 *
 * @param mean mean grey level
 * @param sd standard deviation
 * @param p1 1st percentile
 * @param p99 99th percentile
 * @param localContrast standard deviation within 8x8 blocks, averaged over the blocks
 * @param gradient mean absolute difference of horizontal neighbours
 * @param levels distinct grey levels used
 */
public record ImageStatistics(double mean, double sd, double p1, double p99, double localContrast, double gradient,
                              double levels) {

  /** The owners' medians over 300 real raw copies. */
  public static final ImageStatistics REAL_RAW = new ImageStatistics(156, 35, 61, 220, 9.5, 5.9, 202);
  /** The owners' medians over the enhanced crops they were paired with. */
  public static final ImageStatistics ENHANCED = new ImageStatistics(149, 45, 34, 236, 17.0, 11.2, 246);

  /** Measures grey values 0..1 of a {@code width} x {@code height} image, rounded to 8 bits first. */
  public static ImageStatistics of(float[] values, int width, int height) {
    int n = values.length;
    int[] q = new int[n];
    double sum = 0;
    boolean[] used = new boolean[256];
    for (int i = 0; i < n; i++) {
      q[i] = Math.max(0, Math.min(255, Math.round(values[i] * 255)));
      sum += q[i];
      used[q[i]] = true;
    }
    double mean = sum / n;
    double squares = 0;
    for (int x : q) {
      squares += (x - mean) * (x - mean);
    }
    int[] sorted = q.clone();
    Arrays.sort(sorted);
    double blockSd = 0;
    int blocks = 0;
    for (int by = 0; by + 8 <= height; by += 8) {
      for (int bx = 0; bx + 8 <= width; bx += 8) {
        double m = 0;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            m += q[(by + y) * width + bx + x];
          }
        }
        m /= 64;
        double v = 0;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            double d = q[(by + y) * width + bx + x] - m;
            v += d * d;
          }
        }
        blockSd += Math.sqrt(v / 64);
        blocks++;
      }
    }
    double gradient = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x + 1 < width; x++) {
        gradient += Math.abs(q[y * width + x + 1] - q[y * width + x]);
      }
    }
    int levels = 0;
    for (boolean u : used) {
      levels += u ? 1 : 0;
    }
    return new ImageStatistics(mean, Math.sqrt(squares / n), sorted[(int) (0.01 * (n - 1))],
        sorted[(int) (0.99 * (n - 1))], blockSd / Math.max(blocks, 1), gradient / (height * (double) (width - 1)), levels);
  }

  /** Each measure's median over {@code all}. */
  public static ImageStatistics median(List<ImageStatistics> all) {
    return new ImageStatistics(median(all, ImageStatistics::mean), median(all, ImageStatistics::sd),
        median(all, ImageStatistics::p1), median(all, ImageStatistics::p99), median(all, ImageStatistics::localContrast),
        median(all, ImageStatistics::gradient), median(all, ImageStatistics::levels));
  }

  private static double median(List<ImageStatistics> all, ToDoubleFunction<ImageStatistics> measure) {
    double[] values = all.stream().mapToDouble(measure).sorted().toArray();
    return values.length == 0 ? Double.NaN : values[values.length / 2];
  }
}
