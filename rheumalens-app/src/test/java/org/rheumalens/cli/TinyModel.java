package org.rheumalens.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.testing.SharedData;

/** A tiny knee model trained for real on a few shared images, once per test JVM, for command-line tests. */
final class TinyModel {

  private static Path dir;

  private TinyModel() {}

  static synchronized Path get() throws IOException {
    if (dir == null) {
      Path out = Files.createTempDirectory("rheumalens-tiny-model");
      TrainingConfig config = TrainingConfig.builder().setData(SharedData.kneeKl()).setOutput(out)
          .optNetwork(NetworkSpec.tiny(5)).optMaxPerGrade(4).optMaxValPerGrade(2).optEpochs(1).optBatchSize(8).build();
      new GradingTrainer(config, new PrintStream(PrintStream.nullOutputStream())).train(false);
      dir = out;
    }
    return dir;
  }
}
