package org.rheumalens.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well predicted masks match the true ones, per structure class (keyed by class name, background left out) and
 * averaged over the classes: Dice, IoU and the 95th-percentile Hausdorff distance (HD95) between the outlines, in
 * pixels and, for images whose pixel spacing is known, in millimetres.
 *
 * <p>Each figure is computed per image and then averaged over the images where it is defined. When a class is absent
 * from both the truth and the prediction of an image there is nothing to delineate: its Dice, IoU and HD95 are
 * undefined (NaN) there and that image is left out of the class's averages, rather than counted as a perfect score
 * that would flatter rare classes. When the class is in exactly one of the two, Dice and IoU are 0 and HD95 is the
 * image diagonal, the largest distance the image allows: a missed or invented structure counts as the worst outline
 * rather than dropping out. HD95 pools the distances from each outline pixel of one mask to the nearest outline pixel
 * of the other, both ways, and takes their 95th percentile with linear interpolation (as MedPy's {@code hd95}).
 *
 * @param images images compared
 * @param perClass each structure class's averages, in class order
 * @param meanDice mean over the classes of their Dice (NaN classes left out)
 * @param meanIou mean over the classes of their IoU
 * @param meanHd95Pixels mean over the classes of their HD95 in pixels
 * @param meanHd95Mm mean over the classes of their HD95 in millimetres (NaN when no image had a spacing)
 */
public record SegmentationMetrics(
    int images, Map<String, ClassScores> perClass, double meanDice, double meanIou, double meanHd95Pixels,
    double meanHd95Mm) {

  /**
   * One class's figures (averages over the images where each is defined, or one image's values).
   *
   * @param images images where Dice is defined: the class is in the truth or the prediction
   */
  public record ClassScores(int images, double dice, double iou, double hd95Pixels, double hd95Mm) {}

  public SegmentationMetrics {
    perClass = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
  }

  /**
   * Compares {@code predicted} with {@code truth}, image by image; {@code classes} names every class, background
   * (index 0) first. {@code spacings} is null or holds each image's spacing (null entries where unknown).
   */
  public static SegmentationMetrics of(List<String> classes, List<LabelMask> truth, List<LabelMask> predicted,
      List<PixelSpacing> spacings) {
    if (truth.size() != predicted.size() || (spacings != null && spacings.size() != truth.size())) {
      throw new IllegalArgumentException(truth.size() + " true masks, " + predicted.size() + " predicted"
          + (spacings == null ? "" : ", " + spacings.size() + " spacings"));
    }
    Map<String, ClassScores> perClass = new LinkedHashMap<>();
    for (int c = 1; c < classes.size(); c++) {
      List<ClassScores> scores = new ArrayList<>(truth.size());
      for (int i = 0; i < truth.size(); i++) {
        scores.add(compare(truth.get(i), predicted.get(i), c, spacings == null ? null : spacings.get(i)));
      }
      perClass.put(classes.get(c), new ClassScores(
          (int) scores.stream().filter(s -> !Double.isNaN(s.dice())).count(),
          mean(scores.stream().mapToDouble(ClassScores::dice).toArray()),
          mean(scores.stream().mapToDouble(ClassScores::iou).toArray()),
          mean(scores.stream().mapToDouble(ClassScores::hd95Pixels).toArray()),
          mean(scores.stream().mapToDouble(ClassScores::hd95Mm).toArray())));
    }
    return new SegmentationMetrics(truth.size(), perClass,
        mean(perClass.values().stream().mapToDouble(ClassScores::dice).toArray()),
        mean(perClass.values().stream().mapToDouble(ClassScores::iou).toArray()),
        mean(perClass.values().stream().mapToDouble(ClassScores::hd95Pixels).toArray()),
        mean(perClass.values().stream().mapToDouble(ClassScores::hd95Mm).toArray()));
  }

  /** One image's figures for class {@code label} ({@code images} is 1, or 0 where undefined). */
  public static ClassScores compare(LabelMask truth, LabelMask predicted, int label, PixelSpacing spacing) {
    if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
      throw new IllegalArgumentException("true mask is " + truth.width() + "x" + truth.height() + ", predicted "
          + predicted.width() + "x" + predicted.height());
    }
    boolean[] a = truth.region(label);
    boolean[] b = predicted.region(label);
    int sizeA = 0;
    int sizeB = 0;
    int both = 0;
    for (int i = 0; i < a.length; i++) {
      sizeA += a[i] ? 1 : 0;
      sizeB += b[i] ? 1 : 0;
      both += a[i] && b[i] ? 1 : 0;
    }
    if (sizeA == 0 && sizeB == 0) {
      return new ClassScores(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double dice = 2.0 * both / (sizeA + sizeB);
    double iou = (double) both / (sizeA + sizeB - both);
    double hd95Mm = spacing == null ? Double.NaN
        : hd95(a, b, truth.width(), truth.height(), spacing.columnMm(), spacing.rowMm());
    return new ClassScores(1, dice, iou, hd95(a, b, truth.width(), truth.height(), 1, 1), hd95Mm);
  }

  /**
   * HD95 between two regions, in the units of the steps; the image diagonal when exactly one region is empty and NaN
   * when both are.
   */
  static double hd95(boolean[] a, boolean[] b, int width, int height, double columnStep, double rowStep) {
    boolean[] outlineA = outline(a, width, height);
    boolean[] outlineB = outline(b, width, height);
    boolean emptyA = isEmpty(a);
    boolean emptyB = isEmpty(b);
    if (emptyA && emptyB) {
      return Double.NaN;
    }
    if (emptyA || emptyB) {
      return Math.hypot(width * columnStep, height * rowStep);
    }
    double[] toB = DistanceTransform.distances(outlineB, width, height, columnStep, rowStep);
    double[] toA = DistanceTransform.distances(outlineA, width, height, columnStep, rowStep);
    double[] pooled = new double[a.length * 2];
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (outlineA[i]) {
        pooled[n++] = toB[i];
      }
      if (outlineB[i]) {
        pooled[n++] = toA[i];
      }
    }
    double[] sorted = Arrays.copyOf(pooled, n);
    Arrays.sort(sorted);
    return percentile(sorted, 0.95);
  }

  /** The region's pixels with a 4-neighbour outside it; the image edge counts as outside. */
  static boolean[] outline(boolean[] region, int width, int height) {
    boolean[] out = new boolean[region.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        out[i] = region[i] && (x == 0 || y == 0 || x == width - 1 || y == height - 1
            || !region[i - 1] || !region[i + 1] || !region[i - width] || !region[i + width]);
      }
    }
    return out;
  }

  /** The figures as a flat map for a model card: mean_dice, dice_&lt;class&gt;, iou_&lt;class&gt;, hd95_px_&lt;class&gt;, ... */
  public Map<String, Double> flat() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("images", (double) images);
    out.put("mean_dice", meanDice);
    out.put("mean_iou", meanIou);
    out.put("mean_hd95_px", meanHd95Pixels);
    out.put("mean_hd95_mm", meanHd95Mm);
    perClass.forEach((name, s) -> {
      out.put("dice_" + name, s.dice());
      out.put("iou_" + name, s.iou());
      out.put("hd95_px_" + name, s.hd95Pixels());
      out.put("hd95_mm_" + name, s.hd95Mm());
      out.put("images_" + name, (double) s.images());
    });
    return out;
  }

  /** Each class's Dice, keyed by class name. */
  public Map<String, Double> dicePerClass() {
    Map<String, Double> out = new LinkedHashMap<>();
    perClass.forEach((name, s) -> out.put(name, s.dice()));
    return out;
  }

  private static boolean isEmpty(boolean[] region) {
    for (boolean r : region) {
      if (r) {
        return false;
      }
    }
    return true;
  }

  /** Linear interpolation between closest ranks, as numpy.percentile's default. */
  static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(sorted.length - 1, lower + 1);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
  }

  /** Mean of the defined values; NaN when none is. */
  private static double mean(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
