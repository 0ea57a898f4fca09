package org.rheumalens.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Class-weighted cross-entropy plus a squared earth mover's distance between the predicted and true cumulative
 * distributions (Hou et al. 2017). The EMD term makes predicting KL1 for a KL4 knee cost more than predicting KL3;
 * the class weights counter the scarcity of KL4 and KL1. Targets may be soft distributions (knowledge distillation):
 * each image is then weighted by its target's expected class weight.
 */
public final class OrdinalLoss extends Loss {

  private final float[] classWeights;
  private final float emdWeight;

  public OrdinalLoss(float[] classWeights, float emdWeight) {
    super("OrdinalLoss");
    this.classWeights = classWeights.clone();
    this.emdWeight = emdWeight;
  }

  /** Weights proportional to frequency^-power, scaled so the average sample weight is 1. */
  public static float[] balancedWeights(int[] countsPerClass, double power) {
    long total = 0;
    for (int c : countsPerClass) {
      total += c;
    }
    float[] w = new float[countsPerClass.length];
    double weightedTotal = 0;
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) Math.pow(Math.max(countsPerClass[k], 1), -power);
      weightedTotal += w[k] * countsPerClass[k];
    }
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) (w[k] * total / weightedTotal);
    }
    return w;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    int classes = (int) logits.getShape().get(1);
    NDArray label = labels.singletonOrThrow();
    // Grades (N) or target distributions (N x classes, e.g. a teacher's soft targets for distillation).
    NDArray truth = label.getShape().dimension() == 2
        ? label.toType(DataType.FLOAT32, false)
        : label.toType(DataType.INT64, false).oneHot(classes).toType(DataType.FLOAT32, false);
    NDArray logProbs = logits.logSoftmax(1);
    NDArray weights = logits.getManager().create(classWeights).reshape(1, classes);
    NDArray sampleWeight = truth.mul(weights).sum(new int[] {1});
    NDArray crossEntropy = logProbs.mul(truth).sum(new int[] {1}).neg().mul(sampleWeight).sum().div(sampleWeight.sum());
    if (emdWeight == 0) {
      return crossEntropy;
    }
    NDArray cdfGap = logProbs.exp().cumSum(1).sub(truth.cumSum(1));
    NDArray emd = cdfGap.square().sum(new int[] {1}).mean();
    return crossEntropy.add(emd.mul(emdWeight));
  }
}
