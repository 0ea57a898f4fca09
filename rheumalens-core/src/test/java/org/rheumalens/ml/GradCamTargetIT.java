package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rheumalens.testing.SharedData;

/**
 * The heatmap explains the grade the clinician is shown. Under the bundled model's policy the mirror pass can change
 * the single pass's grade; then Grad-CAM needs a pass of its own for the final grade, and otherwise reuses the first
 * pass's maps. Both branches are taken on val knees and both must give the maps a fresh pass for that grade gives.
 */
class GradCamTargetIT {

  private static final int KNEES = 200;

  @Test
  void mapsExplainTheGradeGiven() throws Exception {
    List<LabelledImage> val = LabelledImage.scanFolders(SharedData.kneeKl().resolve("val"), 5);
    int changedByMirror = 0;
    int reused = 0;
    try (Grader grader = Grader.open(ModelLocation.bundled("knee-kl")).refuseOutOfDistribution(false)) {
      GradingModel model = grader.model();
      // Every 4th knee, so all grades are among them (the folders are in grade order).
      for (int i = 0; i < val.size() && i / 4 < KNEES; i += 4) {
        Path file = val.get(i).file();
        Grader.Analysis analysis = grader.analyse(file, true, Grader.GRADED);
        assertThat(analysis.result().ok()).as(analysis.result().error()).isTrue();
        int grade = analysis.result().grade();
        FeatureMaps maps = analysis.output().maps();
        assertThat(maps.targetGrade()).as("%s: the heatmap's grade", file).isEqualTo(grade);
        int singlePass = model.decide(model.probabilities(analysis.output().logits()));
        if (singlePass != grade) {
          changedByMirror++;
        } else {
          reused++;
        }
        if (i % 40 == 0 || singlePass != grade) {
          FeatureMaps fresh = model.forward(List.of(analysis.input()), new int[] {grade}).get(0).maps();
          for (int k = 0; k < fresh.gradients().length; k += 97) {
            assertThat(maps.gradients()[k]).as("%s: gradient %d", file, k).isCloseTo(fresh.gradients()[k], within(1e-5f));
            assertThat(maps.activations()[k]).as("%s: activation %d", file, k).isCloseTo(fresh.activations()[k], within(1e-5f));
          }
        }
      }
    }
    System.out.printf("Grad-CAM target: %d knees reused the first pass's maps, %d needed their own pass%n", reused, changedByMirror);
    assertThat(changedByMirror).as("knees whose grade the mirror changed (the extra-pass branch)").isPositive();
    assertThat(reused).as("knees whose maps came from the first pass").isPositive();
  }
}
