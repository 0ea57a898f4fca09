package org.rheumalens.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.loss.Loss;

/**
 * Consistency training's loss. The batch holds 2N rows: N training crops, then another archive's copy of each in the
 * same order. Both halves are graded against their labels by the wrapped loss, and {@code weight} times the mean
 * symmetric Kullback-Leibler divergence between each crop's and its copy's predicted distributions is added, so the
 * network is taught to give two copies of one knee the same grade (the steadiness the study measures), not only each
 * copy the right one. Both sides receive the gradient: neither copy is the reference.
 */
public final class ConsistencyLoss extends Loss {

  private final Loss graded;
  private final float weight;

  public ConsistencyLoss(Loss graded, float weight) {
    super("ConsistencyLoss");
    if (!(weight > 0)) {
      throw new IllegalArgumentException("consistency weight must be positive, not " + weight);
    }
    this.graded = graded;
    this.weight = weight;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    long rows = logits.getShape().get(0);
    if (rows % 2 != 0) {
      throw new IllegalArgumentException("a consistency batch pairs every crop with its copy; got " + rows + " rows");
    }
    return graded.evaluate(labels, predictions).add(divergence(logits, rows / 2).mul(weight));
  }

  /** Mean over the pairs of 0.5 * (KL(p || q) + KL(q || p)) = 0.5 * sum_k (p_k - q_k)(log p_k - log q_k). */
  static NDArray divergence(NDArray logits, long pairs) {
    NDArray logP = logits.get(new NDIndex("0:" + pairs)).logSoftmax(1);
    NDArray logQ = logits.get(new NDIndex(pairs + ":")).logSoftmax(1);
    return logP.exp().sub(logQ.exp()).mul(logP.sub(logQ)).sum(new int[] {1}).mean().mul(0.5f);
  }
}
