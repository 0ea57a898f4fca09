package org.rheumalens.ml;

/** Numerically stable softmax with a temperature, in plain Java (a handful of logits is no job for the engine). */
public final class Softmax {

  private Softmax() {}

  public static float[] of(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double[] e = new double[logits.length];
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      e[k] = Math.exp(logits[k] / temperature - max);
      sum += e[k];
    }
    float[] p = new float[logits.length];
    for (int k = 0; k < logits.length; k++) {
      p[k] = (float) (e[k] / sum);
    }
    return p;
  }
}
