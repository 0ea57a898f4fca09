package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ConsistencyLossTest {

  private static final OrdinalLoss GRADED = new OrdinalLoss(new float[] {1, 1, 1}, 0f);

  @Test
  void divergenceIsTheSymmetricKullbackLeiblerOfEachCropAndItsCopy() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // Pair 0: the same logits (no divergence); pair 1: p = (0.5, 0.5, 0) against q = (0.25, 0.25, 0.5) (nearly).
      float big = 30;
      var logits = manager.create(new float[][] {
          {1, 2, 3}, {0, 0, -big},
          {1, 2, 3}, {0, 0, (float) Math.log(2)}});
      double p0 = 0.5;
      double p1 = 0.5;
      double q0 = 0.25;
      double q1 = 0.25;
      // The third grade: p ~ e^-30 against q = 0.5 contributes (0 - 0.5)(-30 - log 0.5 - log 2 ... ) exactly below.
      double p2 = Math.exp(-big) / (2 + Math.exp(-big));
      double q2 = 0.5;
      double pair1 = 0.5 * ((p0 - q0) * Math.log(p0 / q0) + (p1 - q1) * Math.log(p1 / q1) + (p2 - q2) * Math.log(p2 / q2));
      assertThat(ConsistencyLoss.divergence(logits, 2).getFloat()).isCloseTo((float) (pair1 / 2), offset(1e-3f));
    }
  }

  @Test
  void addsTheWeightedDivergenceToTheGradedLossOfBothHalves() {
    try (NDManager manager = NDManager.newBaseManager()) {
      var labels = new NDList(manager.create(new int[] {2, 0, 2, 0}));
      var agreeing = new NDList(manager.create(new float[][] {{-1, 0, 2}, {2, 0, -1}, {-1, 0, 2}, {2, 0, -1}}));
      var disagreeing = new NDList(manager.create(new float[][] {{-1, 0, 2}, {2, 0, -1}, {2, 0, -1}, {-1, 0, 2}}));
      ConsistencyLoss loss = new ConsistencyLoss(GRADED, 2f);
      // Pairs that agree cost what grading them costs; pairs that disagree cost more by 2 x their divergence.
      assertThat(loss.evaluate(labels, agreeing).getFloat())
          .isCloseTo(GRADED.evaluate(labels, agreeing).getFloat(), offset(1e-6f));
      float divergence = ConsistencyLoss.divergence(disagreeing.singletonOrThrow(), 2).getFloat();
      assertThat(divergence).isGreaterThan(1f);
      assertThat(loss.evaluate(labels, disagreeing).getFloat())
          .isCloseTo(GRADED.evaluate(labels, disagreeing).getFloat() + 2 * divergence, offset(1e-4f));
    }
  }

  @Test
  void refusesABatchThatDoesNotPairEveryCropWithACopy() {
    try (NDManager manager = NDManager.newBaseManager()) {
      var labels = new NDList(manager.create(new int[] {2, 0, 1}));
      var logits = new NDList(manager.create(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}));
      assertThatThrownBy(() -> new ConsistencyLoss(GRADED, 1f).evaluate(labels, logits))
          .hasMessageContaining("pairs every crop with its copy");
      assertThatThrownBy(() -> new ConsistencyLoss(GRADED, 0f)).hasMessageContaining("must be positive");
    }
  }
}
