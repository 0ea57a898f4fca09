package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationResultTest {

  private static final List<String> CLASSES = List.of("background", "gland", "node");

  /** A 2x1 image: pixel 0 gets {@code first}, pixel 1 {@code second} (class probabilities). */
  private static SegmentationResult twoPixels(float[] first, float[] second) {
    float[] probabilities = new float[6];
    for (int c = 0; c < 3; c++) {
      probabilities[c * 2] = first[c];
      probabilities[c * 2 + 1] = second[c];
    }
    return SegmentationResult.of(CLASSES, 2, 1, probabilities);
  }

  @Test
  void entropyIsZeroWhenCertainAndOneWhenUniform() {
    float third = 1f / 3;
    SegmentationResult r = twoPixels(new float[] {0, 1, 0}, new float[] {third, third, third});
    assertThat(r.entropy()[0]).isZero();
    assertThat(r.entropy()[1]).isCloseTo(1f, within(1e-6f));
    assertThat(r.mask().label(0)).isEqualTo(1);
    assertThat(r.probability(1, 0, 0)).isEqualTo(1f);
  }

  @Test
  void meanStructureEntropyReadsOnlyThePredictedStructure() {
    // Pixel 0: a sure gland; pixel 1: an unsure background. Only the gland counts.
    SegmentationResult r = twoPixels(new float[] {0.05f, 0.9f, 0.05f}, new float[] {0.5f, 0.3f, 0.2f});
    assertThat(r.meanStructureEntropy()).isCloseTo(r.entropy()[0], within(1e-6));
    assertThat(r.entropy()[1]).isGreaterThan(r.entropy()[0]);
  }

  @Test
  void withNothingOutlinedTheWholeImageCounts() {
    SegmentationResult r = twoPixels(new float[] {0.9f, 0.05f, 0.05f}, new float[] {0.5f, 0.3f, 0.2f});
    assertThat(r.mask().maxLabel()).isZero();
    assertThat(r.meanStructureEntropy()).isCloseTo((r.entropy()[0] + r.entropy()[1]) / 2, within(1e-6));
  }
}
