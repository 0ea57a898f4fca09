package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rheumalens.preprocess.Plane;

class TargetShapingTest {

  @Test
  void neighbourSmoothingMovesMassToAdjacentGradesOnly() {
    float[] middle = TargetShaping.neighbourSmoothed(TargetShaping.oneHot(2, 5), 0.2);
    assertThat(middle).containsExactly(new float[] {0, 0.1f, 0.8f, 0.1f, 0}, within(1e-6f));
    float[] bottom = TargetShaping.neighbourSmoothed(TargetShaping.oneHot(0, 5), 0.2);
    assertThat(bottom).containsExactly(new float[] {0.8f, 0.2f, 0, 0, 0}, within(1e-6f));
    float[] top = TargetShaping.neighbourSmoothed(TargetShaping.oneHot(4, 5), 0.2);
    assertThat(top).containsExactly(new float[] {0, 0, 0, 0.2f, 0.8f}, within(1e-6f));
    float[] soft = TargetShaping.neighbourSmoothed(new float[] {0.5f, 0.5f, 0, 0, 0}, 0.1);
    assertThat(sum(soft)).isCloseTo(1f, within(1e-6f));
    assertThat(soft).containsExactly(new float[] {0.475f, 0.5f, 0.025f, 0, 0}, within(1e-6f));
    assertThat(TargetShaping.neighbourSmoothed(TargetShaping.oneHot(1, 5), 0)).containsExactly(0, 1, 0, 0, 0);
    assertThatThrownBy(() -> TargetShaping.neighbourSmoothed(TargetShaping.oneHot(1, 5), 1))
        .hasMessageContaining("neighbour smoothing");
  }

  @Test
  void betaDrawsHaveTheDistributionsMeanAndSpread() {
    for (double alpha : new double[] {0.2, 0.4, 2}) {
      SplittableRandom random = new SplittableRandom(alpha > 1 ? 5 : 6);
      int n = 40_000;
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double x = TargetShaping.beta(alpha, random);
        assertThat(x).isBetween(0.0, 1.0);
        sum += x;
        squares += x * x;
      }
      double mean = sum / n;
      double variance = squares / n - mean * mean;
      assertThat(mean).as("mean at alpha %s", alpha).isCloseTo(0.5, within(0.01));
      assertThat(variance).as("variance at alpha %s", alpha).isCloseTo(1 / (4 * (2 * alpha + 1)), within(0.006));
    }
  }

  @Test
  void mixupBlendsImagesAndTargetsInOneProportionWithTheOwnImageLarger() {
    List<Plane> planes = List.of(filled(0f), filled(1f), filled(0.5f), filled(0.25f));
    float[][] targets = {
      TargetShaping.oneHot(0, 5), TargetShaping.oneHot(4, 5), TargetShaping.oneHot(2, 5), TargetShaping.oneHot(1, 5)
    };
    TargetShaping.Mixed mixed = TargetShaping.mixup(planes, targets, 0.4, new SplittableRandom(3));
    assertThat(planes.get(1).data()[0]).isEqualTo(1f);
    assertThat(targets[1]).containsExactly(0, 0, 0, 0, 1);
    boolean anyBlended = false;
    for (int i = 0; i < planes.size(); i++) {
      float[] target = mixed.targets()[i];
      assertThat(sum(target)).isCloseTo(1f, within(1e-5f));
      float own = target[gradeOf(targets[i])];
      assertThat(own).isGreaterThanOrEqualTo(0.5f);
      // The pixel value must be the same blend as the target: own * mine + (1 - own) * partner's.
      int partner = -1;
      for (int j = 0; j < planes.size(); j++) {
        if (j != i && target[gradeOf(targets[j])] > 0) {
          partner = j;
        }
      }
      float expected = partner < 0
          ? planes.get(i).data()[0]
          : own * planes.get(i).data()[0] + (1 - own) * planes.get(partner).data()[0];
      for (float v : mixed.planes().get(i).data()) {
        assertThat(v).isCloseTo(expected, within(1e-5f));
      }
      anyBlended |= partner >= 0 && own < 0.99f;
    }
    assertThat(anyBlended).isTrue();
  }

  @Test
  void mixupRefusesImagesOfDifferentSizes() {
    List<Plane> planes = List.of(filled(0f), new Plane(3, 3, new float[9]));
    float[][] targets = {TargetShaping.oneHot(0, 2), TargetShaping.oneHot(1, 2)};
    assertThatThrownBy(() -> TargetShaping.mixup(planes, targets, 0.4, new SplittableRandom(1)))
        .hasMessageContaining("one size");
  }

  private static Plane filled(float value) {
    float[] data = new float[16];
    java.util.Arrays.fill(data, value);
    return new Plane(4, 4, data);
  }

  private static int gradeOf(float[] oneHot) {
    for (int k = 0; k < oneHot.length; k++) {
      if (oneHot[k] == 1) {
        return k;
      }
    }
    throw new IllegalArgumentException("not one-hot");
  }

  private static float sum(float[] values) {
    float s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
