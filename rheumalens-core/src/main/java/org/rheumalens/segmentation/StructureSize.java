package org.rheumalens.segmentation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The size of one class's structure in a mask: its area and its maximal width, the diameter of the largest disc that
 * fits inside it (for a band, its thickness; for an ellipse, its minor axis). The width comes from the Euclidean
 * distance transform: 2 d - 1 pixels, where d is the largest distance from a structure pixel's centre to the centre of
 * the nearest pixel outside it (the image edge counts as outside). That is exact for a structure an odd number of
 * pixels thick along an axis and one pixel short for an even one; in millimetres the pixel subtracted is the smaller
 * of the two spacings.
 *
 * @param pixels the area in pixels (all pixels of the class, connected or not)
 * @param areaMm2 the area in square millimetres; NaN without a pixel spacing
 * @param maxWidthPixels the maximal width in pixels; 0 for an empty structure
 * @param maxWidthMm the maximal width in millimetres; NaN without a pixel spacing
 */
public record StructureSize(int pixels, double areaMm2, double maxWidthPixels, double maxWidthMm) {

  /** Every structure class's size (background, index 0, left out), keyed by class name. */
  public static Map<String, StructureSize> measure(LabelMask mask, List<String> classes, PixelSpacing spacing) {
    Map<String, StructureSize> out = new LinkedHashMap<>();
    for (int c = 1; c < classes.size(); c++) {
      out.put(classes.get(c), of(mask.region(c), mask.width(), mask.height(), spacing));
    }
    return out;
  }

  /** The size of one region; {@code spacing} may be null. */
  public static StructureSize of(boolean[] region, int width, int height, PixelSpacing spacing) {
    int pixels = 0;
    for (boolean r : region) {
      pixels += r ? 1 : 0;
    }
    if (pixels == 0) {
      return new StructureSize(0, spacing == null ? Double.NaN : 0, 0, spacing == null ? Double.NaN : 0);
    }
    // A one-pixel frame of background, so that a structure touching the image edge ends there.
    int w = width + 2;
    int h = height + 2;
    boolean[] outside = new boolean[w * h];
    java.util.Arrays.fill(outside, true);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        outside[(y + 1) * w + x + 1] = !region[y * width + x];
      }
    }
    double widthPixels = 2 * maxInside(DistanceTransform.distances(outside, w, h, 1, 1), outside) - 1;
    if (spacing == null) {
      return new StructureSize(pixels, Double.NaN, widthPixels, Double.NaN);
    }
    double inMm = maxInside(DistanceTransform.distances(outside, w, h, spacing.columnMm(), spacing.rowMm()), outside);
    return new StructureSize(pixels, pixels * spacing.pixelAreaMm2(), widthPixels,
        2 * inMm - Math.min(spacing.columnMm(), spacing.rowMm()));
  }

  private static double maxInside(double[] distances, boolean[] outside) {
    double max = 0;
    for (int i = 0; i < distances.length; i++) {
      if (!outside[i]) {
        max = Math.max(max, distances[i]);
      }
    }
    return max;
  }
}
