package org.rheumalens.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rheumalens.ml.Softmax;

class TemperatureScalingTest {

  /** Labels drawn from softmax(z / T): the fitted temperature must find T again, and scaling must cut the ECE. */
  @Property(tries = 12)
  void recoversTheTemperatureThatGeneratedTheLabels(@ForAll @DoubleRange(min = 0.4, max = 4.0) double trueTemperature) {
    SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(trueTemperature));
    int n = 6000;
    float[][] logits = new float[n][5];
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 5; k++) {
        logits[i][k] = (float) (random.nextGaussian() * 2.5);
      }
      truth[i] = sample(softmax(logits[i], trueTemperature), random);
    }
    double fitted = TemperatureScaling.fit(logits, truth);
    assertThat(fitted).isCloseTo(trueTemperature, within(0.12 * trueTemperature));
    assertThat(TemperatureScaling.nll(logits, truth, fitted))
        .isLessThanOrEqualTo(TemperatureScaling.nll(logits, truth, 1.0) + 1e-9);
    assertThat(ece(logits, truth, fitted)).isLessThan(0.03);
  }

  @Test
  void reliabilityOfAPerfectlyCalibratedSetIsNearZeroAndOfAnOverconfidentOneIsTheGap() {
    double[] confidence = new double[1000];
    boolean[] correct = new boolean[1000];
    for (int i = 0; i < 1000; i++) {
      confidence[i] = 0.95;
      correct[i] = i % 10 < 6; // 60% right at 95% confidence
    }
    Reliability r = Reliability.of(confidence, correct, 15);
    assertThat(r.ece()).isCloseTo(0.35, within(1e-9));
    assertThat(r.bins().stream().filter(b -> b.count() > 0)).hasSize(1);
  }

  static double ece(float[][] logits, int[] truth, double t) {
    double[] confidence = new double[truth.length];
    boolean[] correct = new boolean[truth.length];
    for (int i = 0; i < truth.length; i++) {
      double[] p = softmax(logits[i], t);
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k] > p[best] ? k : best;
      }
      confidence[i] = p[best];
      correct[i] = best == truth[i];
    }
    return Reliability.of(confidence, correct, 15).ece();
  }

  static double[] softmax(float[] logits, double t) {
    float[] p = Softmax.of(logits, t);
    double[] out = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      out[k] = p[k];
    }
    return out;
  }

  private static int sample(double[] p, SplittableRandom random) {
    double u = random.nextDouble();
    double c = 0;
    for (int k = 0; k < p.length; k++) {
      c += p[k];
      if (u < c) {
        return k;
      }
    }
    return p.length - 1;
  }
}
