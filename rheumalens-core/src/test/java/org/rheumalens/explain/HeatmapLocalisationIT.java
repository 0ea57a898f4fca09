package org.rheumalens.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.ml.TrainingResult;

/**
 * Heatmaps are right, not merely written: a tiny model trained on images whose only class evidence lies in a known
 * region must put most of its Grad-CAM and occlusion mass there. Also shows the explanation, calibration and gate work
 * for a task defined outside the built-in list.
 */
class HeatmapLocalisationIT {

  @TempDir static Path dir;
  static TrainingResult trained;

  @BeforeAll
  static void train() throws Exception {
    SyntheticEvidence.writeDataset(dir.resolve("data"), 160, 30, 11);
    TrainingConfig config = TrainingConfig.builder().setTask(SyntheticEvidence.TASK.id()).setData(dir.resolve("data"))
        .setOutput(dir.resolve("model")).optNetwork(new NetworkSpec("resnet-basic", 1, 2, List.of(8, 16), List.of(1, 1), 0.2f))
        .optEpochs(12).optBatchSize(16).optLearningRate(3e-3f).optSeed(3).build();
    trained = new GradingTrainer(SyntheticEvidence.TASK, config, new PrintStream(PrintStream.nullOutputStream())).train(false);
  }

  @Test
  void modelLearnsTheTask() {
    assertThat(trained.bestValMetrics().accuracy()).as("val accuracy of the synthetic model").isGreaterThanOrEqualTo(0.9);
    assertThat(trained.card().oversight()).isNotNull();
    assertThat(trained.card().oversight().calibration().temperature()).isPositive();
  }

  @Test
  void heatmapMassFallsInTheEvidenceRegion() throws Exception {
    List<Double> gradCam = new ArrayList<>();
    List<Double> occlusion = new ArrayList<>();
    try (Grader grader = Grader.open(trained.modelDir(), SyntheticEvidence.TASK)) {
      grader.refuseOutOfDistribution(false);
      Explainer explainer = new Explainer(grader.model(), SyntheticEvidence.TASK.grades());
      for (LabelledImage image : LabelledImage.scanFolders(dir.resolve("data/val"), 2)) {
        if (image.grade() != 1) {
          continue;
        }
        Grader.Analysis analysis = grader.analyse(image.file(), true, 1);
        GradeResult result = analysis.result();
        assertThat(result.ok()).isTrue();
        List<Heatmap> maps = explainer.heatmaps(analysis, EnumSet.allOf(Explainer.Method.class));
        assertThat(maps).extracting(Heatmap::method).containsExactly(GradCam.METHOD, OcclusionSensitivity.METHOD);
        int[] r = SyntheticEvidence.REGION;
        gradCam.add(maps.get(0).positiveMassInside(r[0], r[1], r[2], r[3]));
        occlusion.add(maps.get(1).positiveMassInside(r[0], r[1], r[2], r[3]));
        if (gradCam.size() == 1) {
          var files = explainer.write(dir.resolve("explained"), "first", analysis, maps);
          assertThat(Path.of(files.get("gradcam"))).isRegularFile();
          assertThat(Files.size(Path.of(files.get("occlusion_raw")))).isEqualTo(128 + 96 * 96 * 4);
        }
      }
    }
    // The region is 17% of the image: a map that ignored it would put about 17% of its mass there.
    assertThat(mean(gradCam)).as("mean share of Grad-CAM mass in the evidence region").isGreaterThanOrEqualTo(0.70);
    assertThat(mean(occlusion)).as("mean share of occlusion mass in the evidence region").isGreaterThanOrEqualTo(0.70);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
