package org.rheumalens.measure;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.rheumalens.preprocess.GaussianBlur;
import org.rheumalens.preprocess.Plane;

/**
 * Minimum joint space width of a knee crop (the model's 224x224 input, joint near the middle, femur above, tibia
 * below), per compartment, the way a reader measures it on a PA radiograph:
 * <ol>
 *   <li>trace the joint line: the darkest smooth path across the knee between the femoral condyles and the tibial
 *       plateau (dynamic programming over columns, at most one row of slope per column, smoothed image);</li>
 *   <li>in each column, the femoral edge is the strongest bright-to-dark step just above the path and the tibial edge
 *       the strongest dark-to-bright step just below it (sub-pixel by a parabola through the gradient peak); their
 *       distance is the joint space width of that column;</li>
 *   <li>the minimum of the 5-column median of that profile over each compartment's columns (the outer 40% of each
 *       half; the middle, where the tibial spines rise into the notch, is left out).</li>
 * </ol>
 * Which image half is medial depends on the side: see {@link #measure(Plane, Side, OptionalDouble)}.
 */
public final class JointSpaceMeter {

  /** Which knee the crop shows, as far as it is known. */
  public enum Side {
    LEFT, RIGHT, UNKNOWN;

    private static final java.util.regex.Pattern SIDE_SUFFIX =
        java.util.regex.Pattern.compile("(?i).*(?:[0-9_\\-. ])([LR])\\.[a-z0-9]+$");

    /** From a file name whose stem ends in L or R after a digit or separator ("9006140L.png", "knee_R.dcm"). */
    public static Side fromFileName(String fileName) {
      java.util.regex.Matcher m = SIDE_SUFFIX.matcher(fileName);
      return m.matches() ? of(m.group(1)) : UNKNOWN;
    }

    /** From "L"/"R" (DICOM laterality, OAI file names); anything else is unknown. */
    public static Side of(String code) {
      if (code == null) {
        return UNKNOWN;
      }
      return switch (code.trim().toUpperCase(java.util.Locale.ROOT)) {
        case "L" -> LEFT;
        case "R" -> RIGHT;
        default -> UNKNOWN;
      };
    }
  }

  private static final double SEARCH_TOP = 0.30;
  private static final double SEARCH_BOTTOM = 0.85;
  private static final double KNEE_LEFT = 0.10;
  private static final double KNEE_RIGHT = 0.90;
  /** Each compartment: these fractions of the width, measured from the image's nearer edge. */
  private static final double COMPARTMENT_OUTER = 0.14;
  private static final double COMPARTMENT_INNER = 0.42;
  private static final int EDGE_SEARCH = 18;
  private static final double MIN_EDGE_STEP = 0.02;
  /**
   * Across the joint line the image is smoothed only lightly: blurring a narrow dark gap pushes its two edge maxima
   * apart, so heavier smoothing would overstate the narrowest (most diseased) joint spaces.
   */
  private static final double VERTICAL_SMOOTHING = 0.7;

  /**
   * Measures {@code plane}. For a left knee the medial compartment is on the image's left, for a right knee on the
   * image's right (a PA knee radiograph shown as if facing the patient); for an unknown side only the image-left and
   * image-right widths are given. {@code mmPerPixel} converts to millimetres where the input carried a pixel spacing.
   */
  public JointSpaceWidth measure(Plane plane, Side side, OptionalDouble mmPerPixel) {
    int w = plane.width();
    int h = plane.height();
    float[] smooth = GaussianBlur.blur(boxHorizontal(plane.data(), w, h, 2), w, h, 0, VERTICAL_SMOOTHING);
    int top = (int) (SEARCH_TOP * h);
    int bottom = (int) (SEARCH_BOTTOM * h);
    int left = (int) (KNEE_LEFT * w);
    int right = (int) (KNEE_RIGHT * w);
    int[] path = darkestPath(smooth, w, top, bottom, left, right);
    double[] width = new double[w];
    Arrays.fill(width, Double.NaN);
    for (int x = left; x < right; x++) {
      width[x] = columnWidth(smooth, w, h, x, path[x - left]);
    }
    double[] filtered = medianFilter(width, 2);
    double imageLeft = minimum(filtered, (int) (COMPARTMENT_OUTER * w), (int) (COMPARTMENT_INNER * w));
    double imageRight = minimum(filtered, w - (int) (COMPARTMENT_INNER * w), w - (int) (COMPARTMENT_OUTER * w));
    int jointRow = path[(right - left) / 2];
    return JointSpaceWidth.of(side, imageLeft, imageRight, mmPerPixel, jointRow);
  }

  /** The femur-to-tibia edge distance in column x around joint-line row y0; NaN where either edge is too weak. */
  private static double columnWidth(float[] s, int w, int h, int x, int y0) {
    double femur = Double.NaN;
    double bestDown = MIN_EDGE_STEP;
    for (int y = Math.max(1, y0 - EDGE_SEARCH); y <= y0; y++) {
      double step = s[(y - 1) * w + x] - s[(y + 1) * w + x];
      if (step > bestDown) {
        bestDown = step;
        femur = y + peakOffset(s, w, x, y, -1);
      }
    }
    double tibia = Double.NaN;
    double bestUp = MIN_EDGE_STEP;
    for (int y = y0; y <= Math.min(h - 2, y0 + EDGE_SEARCH); y++) {
      double step = s[(y + 1) * w + x] - s[(y - 1) * w + x];
      if (step > bestUp) {
        bestUp = step;
        tibia = y + peakOffset(s, w, x, y, 1);
      }
    }
    return tibia - femur;
  }

  /** Sub-pixel position of a gradient peak at row y (sign: +1 rising, -1 falling), from a parabola through 3 rows. */
  private static double peakOffset(float[] s, int w, int x, int y, int sign) {
    int h = s.length / w;
    if (y < 2 || y > h - 3) {
      return 0;
    }
    double gm = sign * (s[y * w + x] - s[(y - 2) * w + x]);
    double g0 = sign * (s[(y + 1) * w + x] - s[(y - 1) * w + x]);
    double gp = sign * (s[(y + 2) * w + x] - s[y * w + x]);
    double denominator = gm - 2 * g0 + gp;
    if (denominator >= 0) {
      return 0;
    }
    return Math.max(-0.5, Math.min(0.5, 0.5 * (gm - gp) / denominator));
  }

  /** Rows (one per column from left to right) of the darkest path that moves at most one row per column. */
  private static int[] darkestPath(float[] s, int w, int top, int bottom, int left, int right) {
    int rows = bottom - top;
    int columns = right - left;
    double[] cost = new double[rows];
    int[][] from = new int[columns][rows];
    for (int r = 0; r < rows; r++) {
      cost[r] = s[(top + r) * w + left];
    }
    for (int c = 1; c < columns; c++) {
      double[] next = new double[rows];
      for (int r = 0; r < rows; r++) {
        int best = r;
        for (int d = -1; d <= 1; d++) {
          int q = r + d;
          if (q >= 0 && q < rows && cost[q] < cost[best]) {
            best = q;
          }
        }
        next[r] = cost[best] + s[(top + r) * w + left + c];
        from[c][r] = best;
      }
      cost = next;
    }
    int end = 0;
    for (int r = 1; r < rows; r++) {
      if (cost[r] < cost[end]) {
        end = r;
      }
    }
    int[] path = new int[columns];
    for (int c = columns - 1; c >= 0; c--) {
      path[c] = top + end;
      end = from[c][end];
    }
    return path;
  }

  private static double minimum(double[] values, int from, int to) {
    double min = Double.NaN;
    for (int i = from; i < to; i++) {
      if (!Double.isNaN(values[i]) && (Double.isNaN(min) || values[i] < min)) {
        min = values[i];
      }
    }
    return min;
  }

  /** Median over a window of 2*radius+1 of the valid values (NaN where fewer than radius+1 are valid). */
  private static double[] medianFilter(double[] values, int radius) {
    double[] out = new double[values.length];
    double[] window = new double[2 * radius + 1];
    for (int i = 0; i < values.length; i++) {
      int n = 0;
      for (int j = Math.max(0, i - radius); j <= Math.min(values.length - 1, i + radius); j++) {
        if (!Double.isNaN(values[j])) {
          window[n++] = values[j];
        }
      }
      if (n <= radius) {
        out[i] = Double.NaN;
      } else {
        Arrays.sort(window, 0, n);
        out[i] = n % 2 == 1 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2;
      }
    }
    return out;
  }

  private static float[] boxHorizontal(float[] d, int w, int h, int radius) {
    float[] out = new float[d.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sum = 0;
        int n = 0;
        for (int k = Math.max(0, x - radius); k <= Math.min(w - 1, x + radius); k++) {
          sum += d[y * w + k];
          n++;
        }
        out[y * w + x] = sum / n;
      }
    }
    return out;
  }
}
