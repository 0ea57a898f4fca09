package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

  private static final List<String> CLASSES = List.of("background", "gland", "node");

  /** A 64x64 mask with a {@code side}-pixel square of {@code label} whose top-left corner is (x, y). */
  static LabelMask square(int x, int y, int side, int label) {
    int[] labels = new int[64 * 64];
    paint(labels, x, y, side, side, label);
    return LabelMask.of(64, 64, labels);
  }

  private static void paint(int[] labels, int x, int y, int w, int h, int label) {
    for (int j = y; j < y + h; j++) {
      for (int i = x; i < x + w; i++) {
        labels[j * 64 + i] = label;
      }
    }
  }

  @Test
  void diceAndIouOfTwoOverlappingSquaresAreExact() {
    // 20x20 squares 5 px apart: 15 x 20 = 300 px overlap of 400 each.
    SegmentationMetrics.ClassScores s = SegmentationMetrics.compare(square(10, 10, 20, 1), square(15, 10, 20, 1), 1, null);
    assertThat(s.dice()).isEqualTo(0.75);
    assertThat(s.iou()).isEqualTo(0.6);
    assertThat(s.hd95Mm()).isNaN();
  }

  @Test
  void hd95OfASquareShiftedByFivePixelsIsFive() {
    // Outline distances: 0 where the top and bottom edges overlap, 1-4 near the corners, 5 along the left and right
    // edges (30 of each square's 76 outline pixels), so the 95th percentile is 5; the steps scale it to millimetres.
    SegmentationMetrics.ClassScores s = SegmentationMetrics.compare(square(10, 10, 20, 1), square(15, 10, 20, 1), 1,
        new PixelSpacing(0.5, 0.2));
    assertThat(s.hd95Pixels()).isEqualTo(5.0);
    assertThat(s.hd95Mm()).isEqualTo(2.5, within(1e-12));
    // The same shift downwards is measured with the row spacing.
    SegmentationMetrics.ClassScores down = SegmentationMetrics.compare(square(10, 10, 20, 1), square(10, 15, 20, 1), 1,
        new PixelSpacing(0.5, 0.2));
    assertThat(down.hd95Pixels()).isEqualTo(5.0);
    assertThat(down.hd95Mm()).isEqualTo(1.0, within(1e-12));
  }

  @Test
  void identicalMasksScorePerfectly() {
    SegmentationMetrics.ClassScores s = SegmentationMetrics.compare(square(3, 40, 11, 2), square(3, 40, 11, 2), 2,
        PixelSpacing.isotropic(0.1));
    assertThat(s.dice()).isEqualTo(1.0);
    assertThat(s.iou()).isEqualTo(1.0);
    assertThat(s.hd95Pixels()).isZero();
    assertThat(s.hd95Mm()).isZero();
  }

  @Test
  void emptyMasksAreUndefinedAndAMissedStructureScoresWorst() {
    LabelMask empty = LabelMask.empty(64, 64);
    SegmentationMetrics.ClassScores none = SegmentationMetrics.compare(empty, empty, 1, null);
    assertThat(none.images()).isZero();
    assertThat(none.dice()).isNaN();
    assertThat(none.hd95Pixels()).isNaN();

    SegmentationMetrics.ClassScores missed = SegmentationMetrics.compare(square(10, 10, 20, 1), empty, 1,
        PixelSpacing.isotropic(0.5));
    assertThat(missed.dice()).isZero();
    assertThat(missed.iou()).isZero();
    assertThat(missed.hd95Pixels()).isEqualTo(Math.hypot(64, 64), within(1e-9));
    assertThat(missed.hd95Mm()).isEqualTo(Math.hypot(32, 32), within(1e-9));
  }

  @Test
  void averagesSkipImagesWhereAClassIsAbsentFromBoth() {
    LabelMask bothClasses = LabelMask.of(64, 64, merge(square(10, 10, 20, 1), square(40, 40, 10, 2)));
    List<LabelMask> truth = List.of(bothClasses, square(10, 10, 20, 1));
    List<LabelMask> predicted = List.of(LabelMask.of(64, 64, merge(square(15, 10, 20, 1), square(40, 40, 10, 2))),
        square(10, 10, 20, 1));

    SegmentationMetrics m = SegmentationMetrics.of(CLASSES, truth, predicted, null);

    assertThat(m.perClass()).containsOnlyKeys("gland", "node");
    assertThat(m.perClass().get("gland").dice()).isEqualTo((0.75 + 1.0) / 2);
    // The second image has no node anywhere: the node's mean is its first image's 1.0, not dragged either way.
    assertThat(m.perClass().get("node").images()).isEqualTo(1);
    assertThat(m.perClass().get("node").dice()).isEqualTo(1.0);
    assertThat(m.meanDice()).isEqualTo((0.875 + 1.0) / 2);
    assertThat(m.meanHd95Mm()).isNaN();
    assertThat(m.flat()).containsEntry("dice_gland", 0.875).containsEntry("images", 2.0).containsKey("hd95_px_node");
  }

  @Test
  void sizesGiveAreaAndTheThicknessOfABand() {
    // A 31 x 11 band: 341 px; its largest inscribed disc is 11 px across (an odd thickness is exact).
    LabelMask band = LabelMask.of(64, 64, paintRect(5, 20, 31, 11, 1));
    StructureSize size = StructureSize.measure(band, CLASSES, PixelSpacing.isotropic(0.2)).get("gland");
    assertThat(size.pixels()).isEqualTo(341);
    assertThat(size.areaMm2()).isEqualTo(341 * 0.04, within(1e-9));
    assertThat(size.maxWidthPixels()).isEqualTo(11.0);
    assertThat(size.maxWidthMm()).isEqualTo(2.2, within(1e-9));
    assertThat(StructureSize.measure(band, CLASSES, null).get("node")).isEqualTo(new StructureSize(0, Double.NaN, 0, Double.NaN));
  }

  @Test
  void aStructureCutByTheImageEdgeEndsThere() {
    // 7 rows thick along the top edge: width 7, not more because the edge is treated as outside.
    StructureSize size = StructureSize.of(LabelMask.of(64, 64, paintRect(0, 0, 64, 7, 1)).region(1), 64, 64, null);
    assertThat(size.maxWidthPixels()).isEqualTo(7.0);
  }

  @Property(tries = 40)
  void distanceTransformMatchesBruteForce(@ForAll @IntRange(min = 1, max = 12) int w,
      @ForAll @IntRange(min = 1, max = 12) int h, @ForAll long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    boolean[] feature = new boolean[w * h];
    for (int i = 0; i < feature.length; i++) {
      feature[i] = random.nextInt(6) == 0;
    }
    double cx = 0.3 + random.nextDouble();
    double cy = 0.3 + random.nextDouble();
    double[] fast = DistanceTransform.distances(feature, w, h, cx, cy);
    for (int p = 0; p < feature.length; p++) {
      double best = Double.POSITIVE_INFINITY;
      for (int q = 0; q < feature.length; q++) {
        if (feature[q]) {
          best = Math.min(best, Math.hypot((p % w - q % w) * cx, (p / w - q / w) * cy));
        }
      }
      assertThat(fast[p]).as("pixel %d", p).isCloseTo(best, within(1e-9));
    }
  }

  @Property(tries = 30)
  void hd95IsSymmetricAndAtMostTheLargestOutlineDistance(@ForAll @IntRange(min = 0, max = 30) int x,
      @ForAll @IntRange(min = 0, max = 30) int y, @ForAll @IntRange(min = 2, max = 30) int side) {
    boolean[] a = square(20, 20, 16, 1).region(1);
    boolean[] b = square(x, y, side, 1).region(1);
    double ab = SegmentationMetrics.hd95(a, b, 64, 64, 1, 1);
    assertThat(SegmentationMetrics.hd95(b, a, 64, 64, 1, 1)).isEqualTo(ab);
    double max = 0;
    double[] toB = DistanceTransform.distances(SegmentationMetrics.outline(b, 64, 64), 64, 64, 1, 1);
    double[] toA = DistanceTransform.distances(SegmentationMetrics.outline(a, 64, 64), 64, 64, 1, 1);
    boolean[] outlineA = SegmentationMetrics.outline(a, 64, 64);
    boolean[] outlineB = SegmentationMetrics.outline(b, 64, 64);
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, outlineA[i] ? toB[i] : 0);
      max = Math.max(max, outlineB[i] ? toA[i] : 0);
    }
    assertThat(ab).isBetween(0.0, max);
  }

  private static int[] paintRect(int x, int y, int w, int h, int label) {
    int[] labels = new int[64 * 64];
    paint(labels, x, y, w, h, label);
    return labels;
  }

  private static int[] merge(LabelMask first, LabelMask second) {
    int[] out = first.toIntArray();
    int[] other = second.toIntArray();
    for (int i = 0; i < out.length; i++) {
      out[i] = other[i] != 0 ? other[i] : out[i];
    }
    return out;
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    double[] sorted = {0, 1, 2, 3, 10};
    // numpy.percentile([0,1,2,3,10], 95) = 3 + 0.8 * 7 = 8.6
    assertThat(SegmentationMetrics.percentile(sorted, 0.95)).isEqualTo(8.6, within(1e-12));
    assertThat(Arrays.stream(sorted).max().orElseThrow()).isEqualTo(SegmentationMetrics.percentile(sorted, 1.0));
  }
}
