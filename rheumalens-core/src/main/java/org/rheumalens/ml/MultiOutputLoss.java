package org.rheumalens.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import org.rheumalens.tasks.TaskDefinition.Kind;

/**
 * The loss of a task with several outputs on one backbone: the primary output's {@link OrdinalLoss} on its slice of
 * the last layer, plus, per secondary output, cross-entropy on its classes' slice or a Huber loss on its regression
 * unit (the value scaled to [0, 1] by the output's range), each weighted 1. Labels are one row per image: the primary
 * grade, then each secondary label (class index, or the value already scaled).
 */
public final class MultiOutputLoss extends Loss {

  private final OrdinalLoss primary;
  private final OutputHeads heads;

  public MultiOutputLoss(OrdinalLoss primary, OutputHeads heads) {
    super("MultiOutputLoss");
    this.primary = primary;
    this.heads = heads;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    NDArray label = labels.singletonOrThrow().toType(DataType.FLOAT32, false);
    NDArray total = primary.evaluate(new NDList(label.get(new NDIndex(":, 0"))),
        new NDList(logits.get(new NDIndex(":, 0:" + heads.primaryUnits()))));
    int column = 1;
    for (OutputHeads.Head head : heads.secondary()) {
      NDArray slice = logits.get(new NDIndex(":, " + head.offset() + ":" + (head.offset() + head.units())));
      NDArray truth = label.get(new NDIndex(":, " + column));
      NDArray term;
      if (head.output().kind() == Kind.REGRESSION) {
        NDArray error = slice.reshape(-1).sub(truth).abs();
        // Huber with delta 0.1 of the range: squared near the target, linear for outliers in the labels.
        NDArray quadratic = error.minimum(0.1f);
        term = quadratic.square().mul(0.5f).add(error.sub(quadratic).mul(0.1f)).mean().mul(10f);
      } else {
        NDArray oneHot = truth.toType(DataType.INT64, false).oneHot(head.units()).toType(DataType.FLOAT32, false);
        term = slice.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
      }
      total = total.add(term);
      column++;
    }
    return total;
  }
}
