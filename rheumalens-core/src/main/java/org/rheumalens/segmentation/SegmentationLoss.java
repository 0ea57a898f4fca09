package org.rheumalens.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * Pixel cross-entropy plus soft Dice loss (1 - the mean soft Dice of the structure classes). Cross-entropy gives every
 * pixel a gradient from the first step; Dice weighs a small structure as much as a large one, which cross-entropy
 * alone would let the background swamp. Soft Dice is pooled over the whole batch (not per image), so a class absent
 * from one image does not turn into a 0/0; the +1 smoothing keeps a class absent from the whole batch near a Dice of
 * 1 when nothing of it is predicted.
 *
 * <p>Labels are one-hot, N x classes x H x W ({@link #oneHot}); predictions are logits of the same shape.
 */
public final class SegmentationLoss extends Loss {

  static final String DESCRIPTION = "pixel cross-entropy + (1 - mean soft Dice of the structure classes, batch-pooled, +1 smoothing)";
  private static final float SMOOTHING = 1f;

  public SegmentationLoss() {
    super("ce+dice");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);
    NDArray crossEntropy = target.mul(logProbabilities).sum(new int[] {1}).mean().neg();
    NDArray probabilities = logProbabilities.exp();
    int[] pooled = {0, 2, 3};
    NDArray overlap = probabilities.mul(target).sum(pooled);
    NDArray total = probabilities.sum(pooled).add(target.sum(pooled));
    NDArray dice = overlap.mul(2).add(SMOOTHING).div(total.add(SMOOTHING));
    NDArray meanStructureDice = dice.get(new NDIndex("1:")).mean();
    return crossEntropy.add(meanStructureDice.neg().add(1));
  }

  /** One-hot targets, N x classes x H x W, from masks of one size. */
  public static NDArray oneHot(NDManager manager, List<LabelMask> masks, int classes) {
    LabelMask first = masks.get(0);
    int pixels = first.width() * first.height();
    float[] data = new float[masks.size() * classes * pixels];
    for (int n = 0; n < masks.size(); n++) {
      LabelMask mask = masks.get(n);
      for (int p = 0; p < pixels; p++) {
        int label = mask.label(p);
        if (label >= classes) {
          throw new IllegalArgumentException("mask label " + label + " but the network has " + classes + " classes");
        }
        data[(n * classes + label) * pixels + p] = 1f;
      }
    }
    return manager.create(data, new Shape(masks.size(), classes, first.height(), first.width()));
  }
}
