package org.rheumalens.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.testing.SharedData;

/**
 * The knee box regressor learns the crop framing: trained briefly on 800 train crops, one pass on candidates it has
 * never seen (val crops, shifted up to 12% and scaled up to 25%) must cut the size and position errors, and reloading
 * the saved weights must give the same corrections.
 */
class KneeBoxRegressorIT {

  @Test
  void learnsToCorrectShiftedAndScaledBoxesOnHeldOutCrops(@TempDir Path dir) throws Exception {
    List<Plane> train = crops(SharedData.kneeKl().resolve("train"), 800);
    List<Plane> val = crops(SharedData.kneeKl().resolve("val"), 200);
    KneeBoxTraining.Settings settings = new KneeBoxTraining.Settings(8, 32, 1e-3f, 3);
    KneeBoxTraining.Report report;
    float[][] before;
    List<float[]> views = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 5; i++) {
      views.add(KneeBoxTraining.sample(val.get(i), random, false).view());
    }
    try (KneeBoxRegressor regressor = KneeBoxTraining.fit(train, val, settings, dir, new PrintStream(PrintStream.nullOutputStream()))) {
      report = KneeBoxTraining.evaluate(regressor, val, new SplittableRandom(9), 0);
      before = regressor.predict(views);
    }
    System.out.println(report);
    assertThat(report.medianScaleErrorAfter()).as("median |log size error| after one pass")
        .isLessThan(0.7 * report.medianScaleErrorBefore());
    assertThat(report.medianShiftErrorAfter()).as("median centre error after one pass")
        .isLessThan(0.8 * report.medianShiftErrorBefore());
    assertThat(report.iouShareAfter()).isGreaterThan(report.iouShareBefore());
    assertThat(dir.resolve(KneeBoxTraining.REPORT_FILE)).exists();
    try (KneeBoxRegressor reloaded = KneeBoxRegressor.load(dir)) {
      float[][] after = reloaded.predict(views);
      for (int i = 0; i < after.length; i++) {
        assertThat(after[i]).containsExactly(before[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  private static List<Plane> crops(Path dir, int count) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    RadiographReader reader = RadiographReader.standard();
    List<Plane> out = new ArrayList<>();
    // Spread over the grades: the sorted list runs grade folder by grade folder.
    int step = Math.max(1, files.size() / count);
    for (int i = 0; i < files.size() && out.size() < count; i += step) {
      out.add(IntensityWindow.standard().apply(reader.read(files.get(i))));
    }
    return out;
  }
}
