package org.rheumalens.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TriagePolicyTest {

  /** Whatever the data, the fitted limits accept only a set whose val accuracy meets the target. */
  @Property(tries = 30)
  void acceptedCasesMeetTheTarget(@ForAll @LongRange(min = 1, max = 10_000) long seed,
      @ForAll @DoubleRange(min = 0.6, max = 0.97) double target) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 400;
    float[][] p = new float[n][];
    int[] decided = new int[n];
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      float top = (float) random.nextDouble(0.25, 1.0);
      decided[i] = random.nextInt(5);
      p[i] = spread(top, decided[i], random);
      // Calibrated by construction: right with probability equal to the confidence.
      truth[i] = random.nextDouble() < top ? decided[i] : (decided[i] + 1 + random.nextInt(4)) % 5;
    }
    TriagePolicy policy = TriagePolicy.fit(p, decided, truth, target);
    int accepted = 0;
    int right = 0;
    for (int i = 0; i < n; i++) {
      if (policy.reasons(p[i], decided[i]).isEmpty()) {
        accepted++;
        right += decided[i] == truth[i] ? 1 : 0;
      }
    }
    assertThat(accepted).isEqualTo(policy.valAccepted());
    if (accepted > 0) {
      assertThat((double) right / accepted).isGreaterThanOrEqualTo(target);
      assertThat(accepted).isGreaterThanOrEqualTo(TriagePolicy.MIN_ACCEPTED);
    } else {
      assertThat(policy.minConfidence()).isGreaterThan(1.0);
    }
  }

  @Test
  void borderlineMeansAnAdjacentRunnerUpWithinTheMargin() {
    float[] close = {0.05f, 0.42f, 0.45f, 0.05f, 0.03f};
    float[] farGrade = {0.42f, 0.05f, 0.45f, 0.05f, 0.03f};
    assertThat(TriagePolicy.isBorderline(close, 2, 0.05)).isTrue();
    assertThat(TriagePolicy.isBorderline(close, 2, 0.02)).isFalse();
    assertThat(TriagePolicy.isBorderline(farGrade, 2, 0.05)).isFalse();
    assertThat(TriagePolicy.isBorderline(close, 2, 0)).isFalse();
    TriagePolicy policy = new TriagePolicy(0.9, 0.5, 0.05, 0, 0, 0);
    assertThat(policy.reasons(close, 2)).containsExactly(TriagePolicy.LOW_CONFIDENCE, TriagePolicy.BORDERLINE);
  }

  private static float[] spread(float top, int grade, SplittableRandom random) {
    float[] p = new float[5];
    float rest = 1 - top;
    float[] w = new float[5];
    float sum = 0;
    for (int k = 0; k < 5; k++) {
      if (k != grade) {
        w[k] = (float) random.nextDouble(0.1, 1);
        sum += w[k];
      }
    }
    for (int k = 0; k < 5; k++) {
      p[k] = k == grade ? top : Math.min(top * 0.999f, rest * w[k] / sum);
    }
    return p;
  }
}
