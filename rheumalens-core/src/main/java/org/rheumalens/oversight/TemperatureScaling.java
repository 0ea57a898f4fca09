package org.rheumalens.oversight;

/**
 * Temperature scaling (Guo et al. 2017): one scalar T divides the logits so that softmax probabilities match observed
 * accuracy. Fitted by minimising the negative log-likelihood on held-out data; it never changes which grade is most
 * probable.
 */
public final class TemperatureScaling {

  private static final double LOG_MIN = Math.log(0.05);
  private static final double LOG_MAX = Math.log(20);

  private TemperatureScaling() {}

  /** The temperature minimising mean NLL of {@code truth} (golden-section search on log T; NLL is unimodal in T). */
  public static double fit(float[][] logits, int[] truth) {
    return fitMinimising(t -> nll(logits, truth, t));
  }

  /**
   * The temperature minimising {@code nllAt(T)}: for a model whose reported probabilities are not a plain softmax of
   * one set of logits (e.g. averaged with the mirrored image's), so that T is fitted to what is reported.
   */
  public static double fitMinimising(java.util.function.DoubleUnaryOperator nllAt) {
    double lo = LOG_MIN;
    double hi = LOG_MAX;
    double ratio = (Math.sqrt(5) - 1) / 2;
    double a = hi - ratio * (hi - lo);
    double b = lo + ratio * (hi - lo);
    double fa = nllAt.applyAsDouble(Math.exp(a));
    double fb = nllAt.applyAsDouble(Math.exp(b));
    for (int i = 0; i < 80 && hi - lo > 1e-6; i++) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - ratio * (hi - lo);
        fa = nllAt.applyAsDouble(Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + ratio * (hi - lo);
        fb = nllAt.applyAsDouble(Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  /** Mean negative log-likelihood of the true grades under given probabilities. */
  public static double nll(float[][] probabilities, int[] truth) {
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      sum -= Math.log(Math.max(1e-12, probabilities[i][truth[i]]));
    }
    return sum / probabilities.length;
  }

  /** Mean negative log-likelihood of the true grades under softmax(logits / T). */
  public static double nll(float[][] logits, int[] truth, double temperature) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits[i]) {
        max = Math.max(max, l / temperature);
      }
      double norm = 0;
      for (float l : logits[i]) {
        norm += Math.exp(l / temperature - max);
      }
      sum += -(logits[i][truth[i]] / temperature - max - Math.log(norm));
    }
    return sum / logits.length;
  }
}
