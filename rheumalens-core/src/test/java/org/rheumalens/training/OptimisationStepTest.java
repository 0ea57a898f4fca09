package org.rheumalens.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class OptimisationStepTest {

  @Test
  void aFiniteLossUpdatesTheWeights() {
    try (Model model = linearModel(); Trainer trainer = trainer(model)) {
      float[] before = weights(model);
      float loss = OptimisationStep.take(trainer, m -> new OptimisationStep.Batch(
          m.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2)), m.create(new float[] {1f, 0f}, new Shape(2, 1))));
      assertThat(loss).isFinite();
      assertThat(weights(model)).isNotEqualTo(before);
    }
  }

  @Test
  void aNaNLossStopsTheRunBeforeTheUpdate() {
    try (Model model = linearModel(); Trainer trainer = trainer(model)) {
      float[] before = weights(model);
      assertThatThrownBy(() -> OptimisationStep.take(trainer, m -> new OptimisationStep.Batch(
          m.create(new float[] {1f, Float.NaN, 3f, 4f}, new Shape(2, 2)), m.create(new float[] {1f, 0f}, new Shape(2, 1)))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the batch loss is NaN")
          .hasMessageContaining("ONEDNN_MAX_CPU_ISA=AVX2");
      assertThat(weights(model)).containsExactly(before);
    }
  }

  private static Model linearModel() {
    Model model = Model.newInstance("step-test");
    model.setBlock(Linear.builder().setUnits(1).build());
    return model;
  }

  private static Trainer trainer(Model model) {
    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build()));
    trainer.initialize(new Shape(2, 2));
    return trainer;
  }

  private static float[] weights(Model model) {
    return model.getBlock().getParameters().get("weight").getArray().toFloatArray();
  }
}
