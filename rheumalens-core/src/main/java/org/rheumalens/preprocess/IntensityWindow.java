package org.rheumalens.preprocess;

import java.util.Arrays;
import org.rheumalens.imaging.Radiograph;

/**
 * Maps a radiograph's modality values to [0, 1] for display and for the model: the file's VOI window where present,
 * else a robust percentile window (so one hot pixel or a burnt-in label cannot squash the anatomy), then MONOCHROME1
 * inversion so bone is always bright.
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
    return new Plane(image.width(), image.height(), out);
  }

  /** Two percentiles of the values, from a sample of at most ~1M pixels (exact for smaller images). */
  static double[] percentiles(float[] values, double lowPct, double highPct) {
    int step = Math.max(1, values.length / 1_000_000);
    float[] sample = new float[(values.length + step - 1) / step];
    for (int i = 0, j = 0; i < values.length; i += step, j++) {
      sample[j] = values[i];
    }
    Arrays.sort(sample);
    int lo = (int) Math.floor(lowPct / 100.0 * (sample.length - 1));
    int hi = (int) Math.ceil(highPct / 100.0 * (sample.length - 1));
    return new double[] {sample[lo], sample[hi]};
  }
}
