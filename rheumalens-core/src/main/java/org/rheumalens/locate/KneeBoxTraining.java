package org.rheumalens.locate;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.sampling.Permutation;
import org.rheumalens.training.OptimisationStep;

/**
 * Trains the {@link KneeBoxRegressor} on knee crops whose framing is the truth: each sample is a crop seen through a
 * candidate box shifted by up to {@link #MAX_SHIFT} of its size and scaled by up to x/÷{@link #MAX_SCALE}, and the
 * target is the correction back to the crop. Candidates are drawn afresh every epoch, with mirroring, gamma and noise.
 * Selects nothing on val: val crops (fixed candidates) only report how much one pass corrects.
 */
public final class KneeBoxTraining {

  /** Settings of a fit; written beside the weights. */
  public record Settings(int epochs, int batchSize, float learningRate, long seed) {
    public static Settings standard() {
      return new Settings(24, 32, 1e-3f, 1);
    }
  }

  /** How well one pass corrects fixed candidates on held-out crops. */
  public record Report(int valCrops, double iouShareBefore, double iouShareAfter, double medianScaleErrorBefore,
      double medianScaleErrorAfter, double medianShiftErrorBefore, double medianShiftErrorAfter, double seconds) {}

  static final double MAX_SHIFT = 0.12;
  static final double MAX_SCALE = 1.25;
  public static final String REPORT_FILE = "knee-box.json";

  private KneeBoxTraining() {}

  /** One training or validation example: the network input and the correction (shift x, shift y, log scale). */
  record Sample(float[] view, float[] target, KneeBox candidate, KneeBox truth) {}

  /**
   * Fits a regressor on {@code train} crops (square, windowed), reports it on {@code val} crops and writes weights and
   * report into {@code dir}. The caller closes the returned regressor.
   */
  public static KneeBoxRegressor fit(List<Plane> train, List<Plane> val, Settings settings, Path dir, PrintStream log)
      throws IOException {
    long start = System.nanoTime();
    Model model = Model.newInstance(KneeBoxRegressor.PREFIX, Device.cpu());
    try {
      model.setBlock(KneeBoxRegressor.network());
      int steps = Math.max(1, train.size() / settings.batchSize());
      Tracker schedule = Tracker.cosine().setBaseValue(settings.learningRate()).optFinalValue(settings.learningRate() / 50)
          .setMaxUpdates(steps * settings.epochs()).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Adam.builder().optLearningRateTracker(schedule).build())
          .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
              ai.djl.nn.Parameter.Type.WEIGHT);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, 1, KneeBoxRegressor.INPUT, KneeBoxRegressor.INPUT));
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
          SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
          int[] order = Permutation.shuffled(train.size(), random);
          double lossSum = 0;
          for (int step = 0; step < steps; step++) {
            List<Sample> batch = new ArrayList<>(settings.batchSize());
            for (int i = 0; i < settings.batchSize(); i++) {
              batch.add(sample(train.get(order[step * settings.batchSize() + i]), random, true));
            }
            lossSum += step(trainer, batch);
          }
          log.printf(Locale.ROOT, "knee box regressor epoch %d/%d  loss %.5f%n", epoch, settings.epochs(), lossSum / steps);
        }
      }
      Files.createDirectories(dir);
      model.save(dir, KneeBoxRegressor.PREFIX);
      KneeBoxRegressor regressor = KneeBoxRegressor.of(model);
      Report report = evaluate(regressor, val, new SplittableRandom(settings.seed() + 7),
          (System.nanoTime() - start) / 1e9);
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("what", "knee box regressor: corrects template-matched knee boxes from the inner "
          + KneeBoxRegressor.VIEW + " of the box");
      card.put("train_crops", train.size());
      card.put("settings", settings);
      card.put("candidates", Map.of("max_shift", MAX_SHIFT, "max_scale", MAX_SCALE));
      card.put("val_one_pass", report);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(REPORT_FILE).toFile(), card);
      log.printf(Locale.ROOT, "knee box regressor: val IoU>=0.8 %.3f -> %.3f, median |log scale| %.3f -> %.3f, "
              + "median shift %.3f -> %.3f (one pass, %d crops), %.0f s%n",
          report.iouShareBefore(), report.iouShareAfter(), report.medianScaleErrorBefore(), report.medianScaleErrorAfter(),
          report.medianShiftErrorBefore(), report.medianShiftErrorAfter(), report.valCrops(), report.seconds());
      return regressor;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** One (mirror-averaged) pass over fixed candidates on {@code crops}: errors before and after the correction. */
  static Report evaluate(KneeBoxRegressor regressor, List<Plane> crops, SplittableRandom random, double seconds) {
    List<Sample> samples = new ArrayList<>(crops.size());
    for (Plane crop : crops) {
      samples.add(sample(crop, random, false));
    }
    int n = samples.size();
    double[] scaleBefore = new double[n];
    double[] scaleAfter = new double[n];
    double[] shiftBefore = new double[n];
    double[] shiftAfter = new double[n];
    int goodBefore = 0;
    int goodAfter = 0;
    for (int start = 0; start < n; start += 128) {
      List<Sample> chunk = samples.subList(start, Math.min(n, start + 128));
      float[][] corrections = regressor.mirrorAveraged(chunk.stream().map(Sample::view).toList());
      for (int i = 0; i < chunk.size(); i++) {
        Sample s = chunk.get(i);
        KneeBox after = KneeBoxRegressor.corrected(s.candidate(), corrections[i]);
        int k = start + i;
        scaleBefore[k] = Math.abs(Math.log(s.candidate().size() / s.truth().size()));
        scaleAfter[k] = Math.abs(Math.log(after.size() / s.truth().size()));
        shiftBefore[k] = shift(s.candidate(), s.truth());
        shiftAfter[k] = shift(after, s.truth());
        goodBefore += s.candidate().iou(s.truth()) >= 0.8 ? 1 : 0;
        goodAfter += after.iou(s.truth()) >= 0.8 ? 1 : 0;
      }
    }
    return new Report(n, goodBefore / (double) n, goodAfter / (double) n, median(scaleBefore), median(scaleAfter),
        median(shiftBefore), median(shiftAfter), seconds);
  }

  /**
   * A crop seen through a random candidate box. With the largest shift and scale the view (the candidate's inner
   * {@link KneeBoxRegressor#VIEW}) still lies inside the crop: 0.3 x 1.25 + 0.12 < 0.5.
   */
  static Sample sample(Plane crop, SplittableRandom random, boolean augment) {
    Plane c = augment && random.nextBoolean() ? crop.mirrored() : crop;
    double side = crop.width();
    double size = side * Math.exp(random.nextDouble(-1, 1) * Math.log(MAX_SCALE));
    double cx = side / 2 + random.nextDouble(-MAX_SHIFT, MAX_SHIFT) * side;
    double cy = side / 2 + random.nextDouble(-MAX_SHIFT, MAX_SHIFT) * side;
    float[] target = {(float) ((side / 2 - cx) / size), (float) ((side / 2 - cy) / size), (float) Math.log(side / size)};
    float[] view = KneeBoxRegressor.sampled(c, cx, cy, size);
    if (augment) {
      jitter(view, random);
    }
    return new Sample(KneeBoxRegressor.normalised(view), target,
        new KneeBox(cx - size / 2, cy - size / 2, size), new KneeBox(0, 0, side));
  }

  private static float step(Trainer trainer, List<Sample> batch) {
    float[] flat = new float[batch.size() * 3];
    for (int i = 0; i < batch.size(); i++) {
      for (int k = 0; k < 3; k++) {
        flat[i * 3 + k] = batch.get(i).target()[k] / KneeBoxRegressor.OUTPUT_SCALE[k];
      }
    }
    return OptimisationStep.take(trainer, manager -> new OptimisationStep.Batch(
        KneeBoxRegressor.batch(manager, batch.stream().map(Sample::view).toList()),
        manager.create(flat, new Shape(batch.size(), 3))));
  }

  /** Gamma x/÷1.5 and noise up to 2% of the range, in place: the view is contrast-normalised, but not perfectly. */
  private static void jitter(float[] view, SplittableRandom random) {
    double gamma = Math.exp(random.nextDouble(-0.4, 0.4));
    double noise = random.nextDouble(0, 0.02);
    for (int i = 0; i < view.length; i++) {
      view[i] = (float) Math.max(0, Math.min(1, Math.pow(Math.max(0, view[i]), gamma) + noise * random.nextGaussian()));
    }
  }

  private static double shift(KneeBox a, KneeBox truth) {
    return Math.hypot(a.centreX() - truth.centreX(), a.centreY() - truth.centreY()) / truth.size();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }
}
