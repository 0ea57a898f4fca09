package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.testing.SharedData;

/** {@code rheumalens calibrate} refits a model's oversight from a data folder and stores it in the card. */
class CalibrateCommandIT {

  @Test
  void fitsTemperatureGateAndTriageIntoTheModelFolder(@TempDir Path dir) throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    try (Stream<Path> files = Files.list(TinyModel.get())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, model.resolve(f.getFileName()));
      }
    }
    Path data = smallData(dir.resolve("data"), 12, 12);

    CliRun run = CliRun.of("calibrate", "--data", data.toString(), "--model", model.toString(), "--target-accuracy", "0.8");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("oversight written to " + model);
    ModelCard card = ModelCard.read(model);
    assertThat(card.oversight().triage().targetAccuracy()).isEqualTo(0.8);
    assertThat(card.oversight().ood().trainImages()).isEqualTo(60);
    assertThat(card.oversight().calibration().valImages()).isEqualTo(60);
    assertThat(model.resolve("ood-gate-precision.npy")).isRegularFile();
    assertThat(model.resolve("reliability.png")).isRegularFile();
    assertThat(model.resolve("risk-coverage.png")).isRegularFile();
    assertThat(Files.readString(model.resolve("MODEL_CARD.md"))).contains("## Oversight").contains("Triage: auto-accept");
  }

  /** Links the first {@code perGrade} images of each grade of the shared train and val splits. */
  static Path smallData(Path dir, int trainPerGrade, int valPerGrade) throws Exception {
    for (String split : List.of("train", "val")) {
      for (int grade = 0; grade < 5; grade++) {
        Path target = Files.createDirectories(dir.resolve(split).resolve(Integer.toString(grade)));
        try (Stream<Path> files = Files.list(SharedData.kneeKl().resolve(split).resolve(Integer.toString(grade)))) {
          for (Path f : files.sorted().limit(split.equals("train") ? trainPerGrade : valPerGrade).toList()) {
            Files.createSymbolicLink(target.resolve(f.getFileName()), f.toAbsolutePath());
          }
        }
      }
    }
    return dir;
  }
}
