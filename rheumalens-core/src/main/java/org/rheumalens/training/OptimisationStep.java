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

  /** Takes one step on the batch {@code arrays} builds in the step's manager; returns the batch loss. */
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
      trainer.step();
      return loss;
    }
  }
}
