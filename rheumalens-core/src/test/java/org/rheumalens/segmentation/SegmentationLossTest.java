package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationLossTest {

  private static LabelMask twoStructures() {
    int[] labels = new int[32 * 32];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        labels[y * 32 + x] = x >= 4 && x < 14 && y >= 4 && y < 20 ? 1 : x >= 20 && y >= 20 ? 2 : 0;
      }
    }
    return LabelMask.of(32, 32, labels);
  }

  @Test
  void aConfidentPerfectPredictionCostsAlmostNothingAndAWrongOneALot() {
    SegmentationLoss loss = new SegmentationLoss();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray target = SegmentationLoss.oneHot(manager, List.of(twoStructures(), LabelMask.empty(32, 32)), 3);
      float perfect = loss.evaluate(new NDList(target), new NDList(target.mul(30))).getFloat();
      assertThat(perfect).isBetween(0f, 1e-4f);

      // Every structure pixel called background: cross-entropy about 30 per such pixel, and Dice near 0.
      NDArray background = SegmentationLoss.oneHot(manager, List.of(LabelMask.empty(32, 32), LabelMask.empty(32, 32)), 3);
      float missed = loss.evaluate(new NDList(target), new NDList(background.mul(30))).getFloat();
      assertThat(missed).isGreaterThan(1.9f);

      // Undecided logits: cross-entropy ln 3 and a soft Dice well below 1.
      float undecided = loss.evaluate(new NDList(target), new NDList(target.zerosLike())).getFloat();
      assertThat(undecided).isBetween((float) Math.log(3), (float) Math.log(3) + 1);
    }
  }

  @Test
  void oneHotPutsEachPixelInItsClassChannel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray target = SegmentationLoss.oneHot(manager, List.of(twoStructures()), 3);
      assertThat(target.getShape().getShape()).containsExactly(1, 3, 32, 32);
      float[] sums = target.sum(new int[] {0, 2, 3}).toFloatArray();
      LabelMask mask = twoStructures();
      assertThat(sums).containsExactly(mask.count(0), mask.count(1), mask.count(2));
      assertThat(target.sum(new int[] {1}).toFloatArray()).containsOnly(1f);
    }
  }
}
