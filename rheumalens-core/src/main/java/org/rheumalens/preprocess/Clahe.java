package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/**
 * Contrast-limited adaptive histogram equalisation (Zuiderveld 1994): per-tile clipped histograms equalised and
 * blended bilinearly between tile centres. The shared training crops were CLAHE-enhanced; running every input
 * (training and clinical) through the same CLAHE brings raw radiographs onto that distribution.
 */
public final class Clahe implements PlaneTransform {

  private static final int BINS = 256;
  private final int tilesX;
  private final int tilesY;
  private final double clipLimit;

  public Clahe(int tilesX, int tilesY, double clipLimit) {
    if (tilesX < 1 || tilesY < 1 || clipLimit < 1) {
      throw new IllegalArgumentException("CLAHE needs >= 1 tile per axis and clip limit >= 1");
    }
    this.tilesX = tilesX;
    this.tilesY = tilesY;
    this.clipLimit = clipLimit;
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    int w = plane.width();
    int h = plane.height();
    int tx = Math.min(tilesX, w);
    int ty = Math.min(tilesY, h);
    float[][] maps = new float[tx * ty][];
    int[] bins = binsOf(plane);
    for (int j = 0; j < ty; j++) {
      for (int i = 0; i < tx; i++) {
        maps[j * tx + i] = tileMapping(bins, w, i * w / tx, (i + 1) * w / tx, j * h / ty, (j + 1) * h / ty);
      }
    }
    float[] out = new float[w * h];
    float tileW = (float) w / tx;
    float tileH = (float) h / ty;
    for (int y = 0; y < h; y++) {
      float gy = (y + 0.5f) / tileH - 0.5f;
      int j0 = clamp((int) Math.floor(gy), ty - 1);
      int j1 = clamp(j0 + 1, ty - 1);
      float fy = clamp01(gy - j0);
      for (int x = 0; x < w; x++) {
        float gx = (x + 0.5f) / tileW - 0.5f;
        int i0 = clamp((int) Math.floor(gx), tx - 1);
        int i1 = clamp(i0 + 1, tx - 1);
        float fx = clamp01(gx - i0);
        int b = bins[y * w + x];
        float top = maps[j0 * tx + i0][b] * (1 - fx) + maps[j0 * tx + i1][b] * fx;
        float bottom = maps[j1 * tx + i0][b] * (1 - fx) + maps[j1 * tx + i1][b] * fx;
        out[y * w + x] = top * (1 - fy) + bottom * fy;
      }
    }
    return new Plane(w, h, out);
  }

  private static int[] binsOf(Plane plane) {
    float[] d = plane.data();
    int[] bins = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      int b = Math.round(d[i] * (BINS - 1));
      bins[i] = b < 0 ? 0 : Math.min(b, BINS - 1);
    }
    return bins;
  }

  private float[] tileMapping(int[] bins, int w, int x0, int x1, int y0, int y1) {
    int[] hist = new int[BINS];
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        hist[bins[y * w + x]]++;
      }
    }
    int pixels = (x1 - x0) * (y1 - y0);
    int limit = Math.max(1, (int) (clipLimit * pixels / BINS));
    int excess = 0;
    for (int b = 0; b < BINS; b++) {
      if (hist[b] > limit) {
        excess += hist[b] - limit;
        hist[b] = limit;
      }
    }
    int share = excess / BINS;
    int remainder = excess % BINS;
    float[] map = new float[BINS];
    long cumulative = 0;
    for (int b = 0; b < BINS; b++) {
      hist[b] += share + (b < remainder ? 1 : 0);
      cumulative += hist[b];
      map[b] = (float) cumulative / pixels;
    }
    return map;
  }

  private static int clamp(int v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }

  private static float clamp01(float v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
