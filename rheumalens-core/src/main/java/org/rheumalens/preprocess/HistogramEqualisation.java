package org.rheumalens.preprocess;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Global histogram equalisation: each pixel becomes the share of pixels darker than it (mid-rank), in [0, 1]. A
 * pixel's rank does not change under any increasing intensity map, so a gamma curve, a different bit depth or a
 * different window gives (up to quantisation) the same output. Accepts any value range.
 */
public final class HistogramEqualisation implements PlaneTransform {

  private final int bins;

  public HistogramEqualisation(int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("histogram equalisation needs at least 2 bins, not " + bins);
    }
    this.bins = bins;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    float[] d = plane.data();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : d) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float[] out = new float[d.length];
    if (!(max > min)) {
      Arrays.fill(out, 0.5f);
      return new Plane(plane.width(), plane.height(), out);
    }
    float scale = (bins - 1) / (max - min);
    int[] bin = new int[d.length];
    long[] counts = new long[bins];
    for (int i = 0; i < d.length; i++) {
      bin[i] = Math.min(bins - 1, Math.round((d[i] - min) * scale));
      counts[bin[i]]++;
    }
    float[] map = new float[bins];
    long below = 0;
    for (int b = 0; b < bins; b++) {
      map[b] = (below + counts[b] / 2f) / d.length;
      below += counts[b];
    }
    for (int i = 0; i < d.length; i++) {
      out[i] = map[bin[i]];
    }
    return new Plane(plane.width(), plane.height(), out);
  }
}
