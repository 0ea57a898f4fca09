package org.rheumalens.ml;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Monte Carlo dropout uncertainty of one prediction (Gal and Ghahramani 2016): the entropy of the mean predictive
 * distribution (total uncertainty, nats) and the mutual information between prediction and weights (the model's own
 * uncertainty; high where the dropout samples disagree).
 */
public record Uncertainty(@JsonProperty("entropy") double entropy,
    @JsonProperty("mutual_information") double mutualInformation, @JsonProperty("samples") int samples) {

  public static Uncertainty fromDropoutLogits(float[][] sampleLogits, double temperature) {
    int k = sampleLogits[0].length;
    double[] mean = new double[k];
    double meanEntropy = 0;
    for (float[] logits : sampleLogits) {
      float[] p = Softmax.of(logits, temperature);
      for (int c = 0; c < k; c++) {
        mean[c] += p[c] / sampleLogits.length;
      }
      meanEntropy += entropy(p) / sampleLogits.length;
    }
    double total = 0;
    for (double p : mean) {
      total -= p > 0 ? p * Math.log(p) : 0;
    }
    return new Uncertainty(total, Math.max(0, total - meanEntropy), sampleLogits.length);
  }

  private static double entropy(float[] p) {
    double h = 0;
    for (float v : p) {
      h -= v > 0 ? v * Math.log(v) : 0;
    }
    return h;
  }
}
