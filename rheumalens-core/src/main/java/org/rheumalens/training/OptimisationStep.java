package org.rheumalens.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.function.Function;

/**
 * One optimisation step of any network RheumaLens trains (the graders and the knee box regressor): forward, loss,
 * backward, update. The batch's arrays are made in a sub-manager of the trainer's that is closed after the step, so
 * a long run holds no arrays from earlier steps.
 */
public final class OptimisationStep {

  /** The network input and the loss's labels of one batch. */
  public record Batch(NDArray input, NDArray labels) {}

  private OptimisationStep() {}

  /**
   * Takes one step on the batch {@code arrays} builds in the step's manager; returns the batch loss. A loss that is
   * not a finite number stops the run before the update, so the weights already saved stay usable: Adam would carry
   * one NaN gradient into every weight and every later epoch.
   */
  public static float take(Trainer trainer, Function<NDManager, Batch> arrays) {
    try (NDManager manager = trainer.getManager().newSubManager()) {
      Batch batch = arrays.apply(manager);
      float loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList output = trainer.forward(new NDList(batch.input()));
        NDArray lossArray = trainer.getLoss().evaluate(new NDList(batch.labels()), output);
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
      if (!Float.isFinite(loss)) {
        throw new IllegalStateException("training stopped: the batch loss is " + loss + ", the network diverged"
            + " (try a lower --lr) or the CPU's maths library misbehaved (on AMD CPUs with AVX-512 oneDNN has given"
            + " NaN for layers narrower than its vector width, 16 channels: run through ./rheumalens, which caps it"
            + " with ONEDNN_MAX_CPU_ISA=AVX2, or set that variable yourself)");
      }
      trainer.step();
      return loss;
    }
  }
}
