package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rheumalens.preprocess.Plane;

/** Folding batch norm into the convolutions must not change what the bundled model says. */
class FoldedBackboneIT {

  @Test
  void foldedNetworkGivesTheUnfoldedLogits() throws Exception {
    try (GradingModel model = GradingModel.load(ModelLocation.bundled("knee-kl"))) {
      SplittableRandom random = new SplittableRandom(3);
      List<Plane> planes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        float[] data = new float[224 * 224];
        // Smooth blobs plus noise, on the [0, 1] scale the model's inputs have.
        double cx = random.nextDouble(60, 160);
        double cy = random.nextDouble(60, 160);
        for (int p = 0; p < data.length; p++) {
          double dx = p % 224 - cx;
          double dy = p / 224 - cy;
          data[p] = (float) (0.6 * Math.exp(-(dx * dx + dy * dy) / 2000) + 0.3 * random.nextDouble());
        }
        planes.add(new Plane(224, 224, data));
      }
      float[][] reference = model.unfoldedLogits(planes);
      List<NetworkOutput> folded = model.forward(planes, null);
      for (int i = 0; i < planes.size(); i++) {
        float[] logits = folded.get(i).logits();
        assertThat(logits).hasSize(reference[i].length);
        for (int k = 0; k < logits.length; k++) {
          assertThat(logits[k]).as("image %d grade %d", i, k).isCloseTo(reference[i][k], within(1e-3f));
        }
      }
      // The comparison is not vacuous: different images give different logits.
      assertThat(reference[0][0]).isNotCloseTo(reference[1][0], within(1e-3f));
    }
  }
}
