package org.rheumalens.dicom.deid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.SquareResize;

/**
 * Looks for text burned into the pixels along the image's edges, where modalities and scanners print names, dates
 * and identifiers: many small high-contrast blobs of character size standing in a row. A screening signal for a human
 * to check, not a proof either way (a side marker alone is one blob and does not count).
 */
public final class BurnedInText {

  /** What the check saw: how many character-like blobs along the edges, and how many of them stand in one row. */
  public record Finding(int characterBlobs, int longestRow) {

    /** Four or more character-sized blobs in one row: a line of text. */
    public boolean textLike() {
      return longestRow >= MIN_ROW;
    }
  }

  static final int MIN_ROW = 4;
  /** Share of the width (height) taken as the left and right (top and bottom) bands. */
  private static final double BAND = 0.15;
  /** Analysis size: larger images are box-averaged down to about this many pixels on their long side. */
  private static final int WORKING_SIZE = 1024;
  /** Contrast against the local mean, as a share of the image's 1st-99th percentile range, that marks a stroke. */
  private static final double CONTRAST = 0.25;
  private static final int WINDOW = 15;

  private BurnedInText() {}

  public static Finding check(Radiograph image) {
    int factor = Math.max(1, (int) Math.ceil(Math.max(image.width(), image.height()) / (double) WORKING_SIZE));
    int w = image.width() / factor;
    int h = image.height() / factor;
    if (w < 32 || h < 32) {
      return new Finding(0, 0);
    }
    float[] v = factor == 1 ? image.values()
        : SquareResize.boxDownscale(new Plane(image.width(), image.height(), image.values()), factor).data();
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    float low = sorted[(int) (0.01 * (sorted.length - 1))];
    float high = sorted[(int) (0.99 * (sorted.length - 1))];
    if (high <= low) {
      return new Finding(0, 0);
    }
    double threshold = CONTRAST * (high - low);
    double[] integral = integral(v, w, h);
    int bandX = (int) Math.round(w * BAND);
    int bandY = (int) Math.round(h * BAND);
    // +1 brighter than the surroundings, -1 darker, 0 neither or not in a band.
    byte[] polarity = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x >= bandX && x < w - bandX && y >= bandY && y < h - bandY) {
          continue;
        }
        double d = v[y * w + x] - localMean(integral, w, h, x, y);
        polarity[y * w + x] = (byte) (d > threshold ? 1 : d < -threshold ? -1 : 0);
      }
    }
    List<int[]> blobs = characterBlobs(polarity, w, h);
    return new Finding(blobs.size(), longestRow(blobs));
  }

  /** Connected components (8-neighbour, one polarity) of character size and shape: {centreY, height}. */
  private static List<int[]> characterBlobs(byte[] polarity, int w, int h) {
    int minHeight = Math.max(5, h / 200);
    int maxHeight = Math.max(minHeight + 1, h / 20);
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[w * h];
    List<int[]> blobs = new ArrayList<>();
    for (int start = 0; start < w * h; start++) {
      if (polarity[start] == 0 || seen[start]) {
        continue;
      }
      byte p = polarity[start];
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      int area = 0;
      int x0 = w;
      int x1 = -1;
      int y0 = h;
      int y1 = -1;
      while (top > 0) {
        int i = stack[--top];
        int x = i % w;
        int y = i / w;
        area++;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (nx >= 0 && nx < w && ny >= 0 && ny < h) {
              int j = ny * w + nx;
              if (!seen[j] && polarity[j] == p) {
                seen[j] = true;
                stack[top++] = j;
              }
            }
          }
        }
      }
      int bw = x1 - x0 + 1;
      int bh = y1 - y0 + 1;
      double fill = area / (double) (bw * bh);
      if (bh >= minHeight && bh <= maxHeight && bw <= 2 * bh && fill >= 0.12 && fill <= 0.9) {
        blobs.add(new int[] {(y0 + y1) / 2, bh});
      }
    }
    return blobs;
  }

  /** The most blobs whose centres lie within one typical character height of each other (a line of text). */
  private static int longestRow(List<int[]> blobs) {
    if (blobs.isEmpty()) {
      return 0;
    }
    List<int[]> byY = new ArrayList<>(blobs);
    byY.sort(Comparator.comparingInt(b -> b[0]));
    int[] heights = byY.stream().mapToInt(b -> b[1]).sorted().toArray();
    int tolerance = Math.max(2, heights[heights.length / 2] / 2);
    int best = 0;
    int from = 0;
    for (int to = 0; to < byY.size(); to++) {
      while (byY.get(to)[0] - byY.get(from)[0] > tolerance) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }

  private static double[] integral(float[] v, int w, int h) {
    double[] s = new double[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      double row = 0;
      for (int x = 0; x < w; x++) {
        row += v[y * w + x];
        s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
      }
    }
    return s;
  }

  private static double localMean(double[] s, int w, int h, int x, int y) {
    int r = WINDOW / 2;
    int xa = Math.max(0, x - r);
    int ya = Math.max(0, y - r);
    int xb = Math.min(w, x + r + 1);
    int yb = Math.min(h, y + r + 1);
    double sum = s[yb * (w + 1) + xb] - s[ya * (w + 1) + xb] - s[yb * (w + 1) + xa] + s[ya * (w + 1) + xa];
    return sum / ((xb - xa) * (yb - ya));
  }
}
