package org.rheumalens.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureGaussianTest {

  @Test
  void scoresNewInliersLikeTrainingDataAndOutliersFarAbove(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    int d = 16;
    List<float[]> features = new ArrayList<>();
    int[] grades = new int[900];
    for (int i = 0; i < 900; i++) {
      grades[i] = i % 3;
      features.add(point(d, grades[i] * 3.0, random));
    }
    FeatureGaussian gate = FeatureGaussian.fit(features, grades, 4); // grade 3 has no data: left out
    double[] inliers = new double[300];
    for (int i = 0; i < 300; i++) {
      inliers[i] = gate.score(point(d, (i % 3) * 3.0, random));
    }
    double meanInlier = java.util.Arrays.stream(inliers).average().orElseThrow();
    // Squared Mahalanobis distance of a d-dimensional Gaussian averages about d (shrinkage moves it a little).
    assertThat(meanInlier).isCloseTo(d, within(0.25 * d));
    double outlier = gate.score(point(d, 25.0, random));
    assertThat(outlier).isGreaterThan(20 * meanInlier);

    gate.write(dir, "gate");
    FeatureGaussian reread = FeatureGaussian.read(dir, "gate");
    float[] probe = point(d, 3.0, random);
    assertThat(reread.score(probe)).isCloseTo(gate.score(probe), within(1e-3 * gate.score(probe)));
    assertThat(reread.dimensions()).isEqualTo(d);
  }

  private static float[] point(int d, double centre, SplittableRandom random) {
    float[] f = new float[d];
    for (int j = 0; j < d; j++) {
      f[j] = (float) (centre + random.nextGaussian() * (1 + j % 4));
    }
    return f;
  }
}
