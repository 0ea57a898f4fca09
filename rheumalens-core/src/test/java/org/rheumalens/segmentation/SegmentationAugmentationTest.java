package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.rheumalens.preprocess.Plane;

class SegmentationAugmentationTest {

  /** A dark 64x64 image with a bright square at (x, y), and its mask: the square is label 1. */
  private static SegmentationSample brightSquare(int x0, int y0, int side) {
    float[] pixels = new float[64 * 64];
    int[] labels = new int[64 * 64];
    java.util.Arrays.fill(pixels, 0.1f);
    for (int y = y0; y < y0 + side; y++) {
      for (int x = x0; x < x0 + side; x++) {
        pixels[y * 64 + x] = 0.9f;
        labels[y * 64 + x] = 1;
      }
    }
    return new SegmentationSample(new Plane(64, 64, pixels), LabelMask.of(64, 64, labels), PixelSpacing.isotropic(0.1));
  }

  @RepeatedTest(20)
  void theMaskMovesWithTheImage(RepetitionInfo repetition) {
    // Off-centre, so that a flip, shift or rotation moves it and a mask left behind would be caught.
    SegmentationSample sample = brightSquare(8, 12, 18);
    // Strong moves, no intensity change: the mask must still cover exactly the bright pixels.
    SegmentationAugmentation moves = new SegmentationAugmentation(0.5, 25, 0.2, 0.15, 0, 0, 0);
    SegmentationSample out = moves.apply(sample, new SplittableRandom(repetition.getCurrentRepetition()));

    int labelled = 0;
    int brightUnderLabel = 0;
    int brightOutsideLabel = 0;
    for (int i = 0; i < 64 * 64; i++) {
      boolean bright = out.image().data()[i] > 0.5f;
      if (out.mask().label(i) == 1) {
        labelled++;
        brightUnderLabel += bright ? 1 : 0;
      } else {
        brightOutsideLabel += bright ? 1 : 0;
      }
    }
    assertThat(labelled).isGreaterThan(150);
    // Bilinear and nearest-neighbour sampling disagree by at most a pixel along the outline.
    assertThat(brightUnderLabel).isGreaterThan((int) (0.9 * labelled));
    assertThat(brightOutsideLabel).isLessThan((int) (0.1 * labelled));
  }

  @Test
  void theSquareActuallyMovesAndTheSameSeedRepeats() {
    SegmentationSample sample = brightSquare(8, 12, 18);
    SegmentationAugmentation standard = SegmentationAugmentation.standard();
    SegmentationSample a = standard.apply(sample, new SplittableRandom(5));
    SegmentationSample b = standard.apply(sample, new SplittableRandom(5));
    SegmentationSample c = standard.apply(sample, new SplittableRandom(6));
    assertThat(a.image().data()).containsExactly(b.image().data());
    assertThat(a.mask().labels()).containsExactly(b.mask().labels());
    assertThat(a.mask().labels()).isNotEqualTo(sample.mask().labels());
    assertThat(c.mask().labels()).isNotEqualTo(a.mask().labels());
  }

  @Test
  void intensityJitterLeavesTheMaskAlone() {
    SegmentationSample sample = brightSquare(8, 12, 18);
    SegmentationAugmentation intensityOnly = new SegmentationAugmentation(0, 0, 0, 0, 0.4, 0.2, 0.05);
    SegmentationSample out = intensityOnly.apply(sample, new SplittableRandom(3));
    assertThat(out.mask().labels()).containsExactly(sample.mask().labels());
    assertThat(out.image().data()).isNotEqualTo(sample.image().data());
    assertThat(out.spacing()).isEqualTo(sample.spacing());
  }

  @Test
  void labelsAreNeverBlended() {
    // Classes 1 and 2 side by side: nearest-neighbour sampling can only produce 0, 1 or 2, never an in-between.
    int[] labels = new int[64 * 64];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i % 64) < 20 ? 0 : (i % 64) < 40 ? 1 : 2;
    }
    SegmentationSample sample = new SegmentationSample(Plane.blank(64, 64), LabelMask.of(64, 64, labels));
    SegmentationSample out = new SegmentationAugmentation(0.5, 25, 0.2, 0.1, 0, 0, 0).apply(sample, new SplittableRandom(9));
    assertThat(out.mask().maxLabel()).isEqualTo(2);
    assertThat(out.mask().count(0) + out.mask().count(1) + out.mask().count(2)).isEqualTo(64 * 64);
  }
}
