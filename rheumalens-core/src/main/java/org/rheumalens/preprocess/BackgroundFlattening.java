package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Subtracts the image's large-scale brightness (a Gaussian low-pass of the given sigma): exposure gradients across
 * the film, the anode heel effect and overall soft-tissue thickness go, bone edges and the joint space stay. The
 * output is a signed difference, for a following equalisation to map back to [0, 1]. The low-pass is three box
 * passes per axis (running sums, so its cost does not grow with sigma), within a few percent of a true Gaussian.
 */
public final class BackgroundFlattening implements PlaneTransform {

  private static final int PASSES = 3;
  private final int radius;

  public BackgroundFlattening(double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("background sigma must be positive, not " + sigma);
    }
    // PASSES boxes of width 2r+1 have variance PASSES * ((2r+1)^2 - 1) / 12; pick r so that this is about sigma^2.
    this.radius = Math.max(1, (int) Math.round((Math.sqrt(12 * sigma * sigma / PASSES + 1) - 1) / 2));
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    int w = plane.width();
    int h = plane.height();
    float[] d = plane.data();
    float[] background = d.clone();
    float[] line = new float[Math.max(w, h)];
    for (int pass = 0; pass < PASSES; pass++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(background, y * w, line, 0, w);
        boxLine(line, w, background, y * w, 1);
      }
      for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) {
          line[y] = background[y * w + x];
        }
        boxLine(line, h, background, x, w);
      }
    }
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] - background[i];
    }
    return new Plane(w, h, out);
  }

  /** Box mean of {@code in[0..n)} (edges clamped) written to {@code out[offset + i * stride]}. */
  private void boxLine(float[] in, int n, float[] out, int offset, int stride) {
    double sum = 0;
    for (int j = -radius; j <= radius; j++) {
      sum += in[clamp(j, n)];
    }
    float norm = 1f / (2 * radius + 1);
    for (int i = 0; i < n; i++) {
      out[offset + i * stride] = (float) (sum * norm);
      sum += in[clamp(i + radius + 1, n)] - in[clamp(i - radius, n)];
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }
}
