package org.rheumalens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.robustness.ArchiveCopy.Difference;
import org.rheumalens.testing.SharedData;

/**
 * The suite's small version of the steadiness study ({@code ./rheumalens steadiness}, issue 19): every 10th val knee
 * graded as it is and as four kinds of other archive's copy, through the product path. Issue 19 asks for 90% agreement
 * on real pairs. On these 83 knees the model bundled until issue 19 (CLAHE) reached 0.78 (raw look), 0.88 (crop) and
 * 0.82 (all at once; the owners measured 0.796 on 758 real raw pairs); the flat-equalised model bundled since
 * (EXPERIMENTS row 17) 0.86, 0.84 and 0.89 (2026-11-30). A softer copy (a blur of about a pixel, the way the real raw
 * copies moved grades up) was the weakest difference of both (0.74 and 0.75 over 276 knees); the blend bundled since
 * (row 23) keeps it at 0.84 here (run 17: 0.77, below the floor), with raw look 0.89, crop 0.92 and all at once 0.87.
 * The floor sits below the bundled model and above the old ones' raw look and softened copies, so a regression to a
 * contrast- or sharpness-sensitive model fails here. {@code -Drobustness.model=DIR} measures a candidate instead.
 */
class SteadinessIT {

  private static final double FLOOR = 0.80;

  @Test
  void gradesOfOtherArchivesCopiesHoldTheLine(@TempDir Path dir) throws Exception {
    String candidate = System.getProperty("robustness.model", "");
    Path modelDir = candidate.isBlank() ? ModelLocation.bundled("knee-kl") : Path.of(candidate);
    List<LabelledImage> all = LabelledImage.scanFolders(SharedData.kneeKl().resolve("val"), 5);
    List<LabelledImage> picked = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 10) {
      picked.add(all.get(i));
    }
    SteadinessStudy.Report report;
    try (Grader grader = Grader.open(modelDir).refuseOutOfDistribution(false)) {
      report = SteadinessStudy.run(grader, modelDir.toString(), picked,
          List.of(Difference.RAW_LOOK, Difference.CROP, Difference.SOFTENED, Difference.ARCHIVE_COPY), 19, dir, null);
    }
    System.out.println("steadiness of " + modelDir + " on " + report.n() + " val knees: " + report.differences());
    assertThat(report.n()).isEqualTo(picked.size());
    report.differences().forEach((difference, outcome) -> {
      assertThat(outcome.n()).isEqualTo(picked.size());
      assertThat(outcome.agreement()).as("grade agreement with the original, %s", difference).isGreaterThanOrEqualTo(FLOOR);
      // Every disagreement is listed, knee by knee, with grades that differ.
      assertThat(outcome.flips()).hasSize(outcome.higher() + outcome.lower());
      assertThat(outcome.flips()).allSatisfy(f -> assertThat(f.copy()).isNotEqualTo(f.original()));
      assertThat(outcome.flips()).allSatisfy(f -> assertThat(f.margin()).isBetween(0.0, 1.0));
    });
    // The copies must really differ: a study whose copies were the originals would agree 100% and prove nothing.
    assertThat(report.differences().get("archive_copy").agreement()).isLessThan(1.0);
    assertThat(report.rawLook().localContrast()).isLessThan(ImageStatistics.ENHANCED.localContrast() * 0.7);
  }
}
