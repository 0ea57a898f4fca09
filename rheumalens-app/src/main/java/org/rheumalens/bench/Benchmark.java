package org.rheumalens.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.TrainingConfig;

/** Runs a whole bench: Java timings of a model on real images, then (when asked) the PyTorch reference. */
public final class Benchmark {

  private Benchmark() {}

  /**
   * Benchmarks the model in {@code modelDir} on images from {@code imagesDir} (grade sub-folders, as {@code val/}).
   *
   * @param python whether to time the PyTorch reference as well
   */
  public static BenchReport run(Path modelDir, Path imagesDir, BenchSettings settings, boolean python, PrintStream log)
      throws IOException, ImageReadException {
    try (Grader grader = Grader.open(modelDir)) {
      ModelCard card = grader.model().card();
      TrainingConfig config = trainingConfig(card, imagesDir, modelDir);
      List<LabelledImage> images =
          spread(LabelledImage.scanFolders(imagesDir, grader.task().classes()), settings.batchFiles());
      BenchEnvironment environment = BenchEnvironment.capture(card);
      log.printf("bench: timing Java (DJL) on %d images from %s%n", images.size(), imagesDir);
      JavaTimings java = new JavaBench(grader, images, settings).measure(config);
      TorchTimings torch = python
          ? new TorchBench(log).measure(card.network(), grader.task().inputSize(), environment.engineThreads(),
              config.learningRate(), config.weightDecay(), settings)
          : TorchTimings.off();
      return new BenchReport(settings, environment, java, torch);
    }
  }

  /** The card's own training recipe; cards without one get the default recipe for the card's network. */
  private static TrainingConfig trainingConfig(ModelCard card, Path imagesDir, Path modelDir) {
    if (card.config() != null && card.network().equals(card.config().network())) {
      return card.config();
    }
    return TrainingConfig.builder().setTask(card.taskId()).setData(imagesDir).setOutput(modelDir)
        .optNetwork(card.network()).build();
  }

  /** Up to {@code count} images evenly spaced through the list, so every grade folder is represented. */
  static List<LabelledImage> spread(List<LabelledImage> all, int count) {
    if (all.size() <= count) {
      return all;
    }
    List<LabelledImage> picked = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      picked.add(all.get((int) ((long) i * all.size() / count)));
    }
    return picked;
  }
}
