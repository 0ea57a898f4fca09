package org.rheumalens.preprocess;

import java.util.Arrays;
import org.rheumalens.imaging.Radiograph;

/**
 * Maps a radiograph's modality values to [0, 1] for display and for the model: the file's VOI window where present,
 * else a robust percentile window (so one hot pixel or a burnt-in label cannot squash the anatomy), then MONOCHROME1
 * inversion so bone is always bright. A colour image gets one window over all its channels, so its hues stay as they
 * were.
 */
public final class IntensityWindow {

  private final double lowPercentile;
  private final double highPercentile;

  public IntensityWindow(double lowPercentile, double highPercentile) {
    this.lowPercentile = lowPercentile;
    this.highPercentile = highPercentile;
  }

  public static IntensityWindow standard() {
    return new IntensityWindow(0.5, 99.5);
  }

  public Plane apply(Radiograph image) {
    float[] values = image.values();
    double low;
    double high;
    if (image.window().isPresent()) {
      Radiograph.Window w = image.window().get();
      // PS3.3 C.11.2.1.2.1 linear function: centre - 0.5 and width - 1.
      low = w.center() - 0.5 - (w.width() - 1) / 2.0;
      high = w.center() - 0.5 + (w.width() - 1) / 2.0;
    } else {
      double[] range = percentiles(values, lowPercentile, highPercentile);
      low = range[0];
      high = range[1];
    }
    double span = Math.max(high - low, 1e-6);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = (values[i] - low) / span;
      v = v < 0 ? 0 : v > 1 ? 1 : v;
      out[i] = (float) (image.invert() ? 1 - v : v);
    }
    return new Plane(image.width(), image.height(), image.channels(), out);
  }

  /**
   * A plane already in [0, 1] stretched between its percentiles, as a file without a VOI window is read (one window
   * over all of a colour plane's channels, as {@link #apply} windows a colour file).
   */
  public Plane stretch(Plane plane) {
    float[] values = plane.data();
    double[] range = percentiles(values, lowPercentile, highPercentile);
    double span = Math.max(range[1] - range[0], 1e-6);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = (values[i] - range[0]) / span;
      out[i] = (float) (v < 0 ? 0 : v > 1 ? 1 : v);
    }
    return new Plane(plane.width(), plane.height(), plane.channels(), out);
  }

  /** Two percentiles of the values, from a sample of at most ~1M pixels (exact for smaller images). */
  static double[] percentiles(float[] values, double lowPct, double highPct) {
    int step = Math.max(1, values.length / 1_000_000);
    float[] sample = new float[(values.length + step - 1) / step];
    for (int i = 0, j = 0; i < values.length; i += step, j++) {
      sample[j] = values[i];
    }
    int lo = (int) Math.floor(lowPct / 100.0 * (sample.length - 1));
    int hi = (int) Math.ceil(highPct / 100.0 * (sample.length - 1));
    double[] counted = integerOrderStatistics(sample, lo, hi);
    if (counted != null) {
      return counted;
    }
    Arrays.sort(sample);
    return new double[] {sample[lo], sample[hi]};
  }

  private static final int MAX_COUNTED_RANGE = 1 << 17;

  /**
   * The {@code lo}-th and {@code hi}-th smallest values by counting, when every value is an integer in a range of at
   * most 2^17 (8- and 16-bit pixels, the usual case): linear time instead of a sort. Null when the values do not fit.
   */
  static double[] integerOrderStatistics(float[] values, int lo, int hi) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      if (v != Math.rint(v)) {
        return null; // also rejects NaN and infinities
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if ((double) max - min >= MAX_COUNTED_RANGE) {
      return null;
    }
    int[] counts = new int[(int) (max - min) + 1];
    for (float v : values) {
      counts[(int) (v - min)]++;
    }
    double[] out = new double[2];
    int[] ranks = {lo, hi};
    int seen = 0;
    int which = 0;
    for (int bin = 0; bin < counts.length && which < 2; bin++) {
      seen += counts[bin];
      while (which < 2 && ranks[which] < seen) {
        out[which++] = min + bin;
      }
    }
    return out;
  }
}
