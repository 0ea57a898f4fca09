package org.rheumalens.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.rheumalens.explain.Explainer;
import java.util.List;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ResidualNetwork;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.preprocess.Plane;

/** Times grading, the model alone, batched grading and training steps through the code paths the product uses. */
public final class JavaBench {

  private final Grader grader;
  private final List<LabelledImage> images;
  private final BenchSettings settings;

  /** {@code images} are the inputs, used in rotation (at least one); their grades label the training batch. */
  public JavaBench(Grader grader, List<LabelledImage> images, BenchSettings settings) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("the bench needs at least one image");
    }
    this.grader = grader;
    this.images = List.copyOf(images);
    this.settings = settings;
  }

  /** Runs every Java measurement; training uses {@code config}'s network, optimiser and loss settings. */
  public JavaTimings measure(TrainingConfig config) throws ImageReadException {
    List<Plane> planes = preparedPlanes(settings.batchSize());
    int[] next = {0};
    // Grading with and without oversight alternate call by call, so both series see the same machine: on a shared
    // machine, two series measured one after the other differ by more than the oversight costs.
    double[][] interleaved = alternate(settings.latencyWarmup(), settings.latencyRuns(),
        () -> requireOk(grader.grade(image(next[0]++).file())),
        () -> {
          grader.applyOversight(false);
          try {
            requireOk(grader.grade(image(next[0]++).file()));
          } finally {
            grader.applyOversight(true);
          }
        });
    double[] grade = interleaved[0];
    double[] plain = interleaved[1];
    Explainer explainer = new Explainer(grader.model(), grader.task().grades());
    double[] gradCam = time(settings.latencyWarmup(), settings.latencyRuns(),
        () -> explained(explainer, image(next[0]++).file(), EnumSet.of(Explainer.Method.GRADCAM)));
    // Occlusion runs ~170 forward passes per image: a few runs give a stable median.
    int occlusionRuns = Math.max(3, settings.latencyRuns() / 10);
    double[] occlusion = time(1, occlusionRuns,
        () -> explained(explainer, image(next[0]++).file(), EnumSet.of(Explainer.Method.OCCLUSION)));
    double[] model = time(settings.latencyWarmup(), settings.latencyRuns(),
        () -> grader.model().predict(List.of(planes.get(0))));
    double batchImagesPerS = batchThroughput();
    double[] steps = trainSteps(config, planes);
    double trainImagesPerS = settings.batchSize() * steps.length / (Arrays.stream(steps).sum() / 1000);
    return new JavaTimings(Latency.of(grade), Latency.of(plain), Latency.of(gradCam), Latency.of(occlusion), Latency.of(model), batchImagesPerS, Latency.of(steps), trainImagesPerS);
  }

  private void explained(Explainer explainer, Path file, Set<Explainer.Method> methods) {
    Grader.Analysis analysis = grader.analyse(file, true, Grader.GRADED);
    requireOk(analysis.result());
    if (analysis.result().grade() != null && explainer.heatmaps(analysis, methods).size() != methods.size()) {
      throw new IllegalStateException("bench input got no heatmap: " + file);
    }
  }

  private LabelledImage image(int i) {
    return images.get(i % images.size());
  }

  private List<Plane> preparedPlanes(int count) throws ImageReadException {
    RadiographReader reader = RadiographReader.standard();
    List<Plane> planes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      planes.add(grader.modelInput(reader.read(image(i).file())));
    }
    return planes;
  }

  private double batchThroughput() {
    List<Path> files = new ArrayList<>(settings.batchFiles());
    for (int i = 0; i < settings.batchFiles(); i++) {
      files.add(image(i).file());
    }
    grader.gradeBatched(files.subList(0, Math.min(files.size(), settings.batchSize())), settings.batchSize());
    long start = System.nanoTime();
    List<GradeResult> results = grader.gradeBatched(files, settings.batchSize());
    double seconds = (System.nanoTime() - start) / 1e9;
    results.forEach(JavaBench::requireOk);
    return files.size() / seconds;
  }

  /** Trains a freshly initialised copy of the network, so the loaded model's weights are never touched. */
  private double[] trainSteps(TrainingConfig config, List<Plane> planes) {
    int[] grades = new int[planes.size()];
    Arrays.setAll(grades, i -> image(i).grade());
    // The bench times the step, not the data's balance: class weights only scale the loss.
    float[] classWeights = new float[config.network().classes()];
    Arrays.fill(classWeights, 1f);
    Plane first = planes.get(0);
    try (Model model = Model.newInstance("bench-train", Device.cpu())) {
      model.setBlock(ResidualNetwork.build(config.network()));
      try (Trainer trainer = model.newTrainer(
          GradingTrainer.trainingConfig(config, classWeights, Tracker.fixed(config.learningRate())))) {
        trainer.initialize(new Shape(1, config.network().inputChannels(), first.height(), first.width()));
        return time(settings.trainWarmup(), settings.trainSteps(), () -> GradingTrainer.trainStep(trainer, planes, grades));
      }
    }
  }

  /** Times {@code a} and {@code b} alternately, {@code runs} calls each after {@code warmup} untimed pairs. */
  private static double[][] alternate(int warmup, int runs, Runnable a, Runnable b) {
    for (int i = 0; i < warmup; i++) {
      a.run();
      b.run();
    }
    double[][] ms = new double[2][runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      a.run();
      long middle = System.nanoTime();
      b.run();
      ms[0][i] = (middle - start) / 1e6;
      ms[1][i] = (System.nanoTime() - middle) / 1e6;
    }
    return ms;
  }

  private static double[] time(int warmup, int runs, Runnable call) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return ms;
  }

  private static GradeResult requireOk(GradeResult result) {
    if (!result.ok()) {
      throw new IllegalStateException("bench input failed: " + result.error());
    }
    return result;
  }
}
