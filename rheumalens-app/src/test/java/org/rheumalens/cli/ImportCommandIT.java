package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rheumalens import --task}: images are imported for a task and read as it reads them; a task from a task file
 * is known by its model folder's card. SYNTHETIC ultrasound frames, a one-epoch tiny model.
 */
class ImportCommandIT {

  @Test
  void importsForTheNamedTaskWithItsColourHandling(@TempDir Path dir) throws Exception {
    Path task = SyntheticUltrasoundCohort.writeTask(dir);
    Path train = SyntheticUltrasoundCohort.writeManifest(dir, "train", 10, 2, 3);
    Path model = dir.resolve("model");
    CliRun training = CliRun.of("train", "--task-file", task.toString(), "--train", train.toString(), "--out",
        model.toString(), "--epochs", "1", "--batch", "8", "--network", "tiny", "--seed", "7");
    assertThat(training.exitCode()).as(training.err()).isZero();
    Path colour = dir.resolve("doppler-export.png");
    ImageIO.write(SyntheticUltrasoundCohort.frame(2, false, true, new SplittableRandom(5)), "png", colour.toFile());
    Path data = dir.resolve("data");

    CliRun asKnee = CliRun.of("import", "--data", data.toString(), "--patient", "P1", colour.toString());
    assertThat(asKnee.exitCode()).as(asKnee.out() + asKnee.err()).isEqualTo(GradeCommand.SOME_INPUTS_FAILED);
    assertThat(asKnee.out()).contains("REJECTED").containsIgnoringCase("colour").contains("task knee-kl");

    CliRun asUltrasound = CliRun.of("import", "--data", data.toString(), "--patient", "P1", "--task", "us-synovitis",
        "--model", model.toString(), colour.toString());
    assertThat(asUltrasound.exitCode()).as(asUltrasound.out() + asUltrasound.err()).isZero();
    assertThat(asUltrasound.out()).contains("1 imported").contains("task us-synovitis");

    CliRun unknown = CliRun.of("import", "--data", data.toString(), "--task", "us-synovitis", colour.toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("unknown task 'us-synovitis'");
  }
}
