package org.rheumalens.segmentation;

import org.rheumalens.training.WeightFiles;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Adam;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rheumalens.io.Sha256;
import org.rheumalens.ml.WarmupCosineSchedule;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.sampling.Permutation;
import org.rheumalens.training.OptimisationStep;

/**
 * Trains a U-Net on image-mask pairs, keeps the epoch with the best mean structure Dice on val, and writes its weights
 * and {@link SegmentationCard} to the config's output folder. Deterministic given the seed: initialisation, data order
 * and each image's augmentation in each epoch are drawn from seeded generators.
 */
public final class SegmentationTrainer {

  /** The weights' file prefix: {@code segmentation-0000.params}. */
  public static final String WEIGHTS = "segmentation";
  private static final int EVAL_BATCH = 16;

  private final SegmentationConfig config;
  private final PrintStream log;

  public SegmentationTrainer(SegmentationConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** What a run produced: the model folder, its card and the kept epoch's val metrics. */
  public record Result(java.nio.file.Path modelDir, SegmentationCard card, SegmentationMetrics valMetrics) {}

  /** Trains on {@code train}, selects on {@code val}; all samples must have the same square size. */
  public Result train(List<SegmentationSample> train, List<SegmentationSample> val) throws IOException {
    long started = System.nanoTime();
    int size = checkSamples(train, val);
    Files.createDirectories(config.outputDir());
    Map<String, Object> data = describeData(train, val);
    int steps = Math.max(1, train.size() / config.batchSize());
    WarmupCosineSchedule schedule = new WarmupCosineSchedule(config.learningRate(), steps, steps * config.epochs(), 0);
    Engine.getInstance().setRandomSeed((int) config.seed());
    List<Plane> valImages = val.stream().map(SegmentationSample::image).toList();
    List<LabelMask> valMasks = val.stream().map(SegmentationSample::mask).toList();
    List<PixelSpacing> valSpacings = val.stream().map(SegmentationSample::spacing).toList();

    List<SegmentationEpoch> history = new ArrayList<>();
    SegmentationCard best = null;
    SegmentationMetrics bestMetrics = null;
    try (Model model = Model.newInstance(WEIGHTS, Device.cpu())) {
      model.setBlock(UNet.build(config.network()));
      DefaultTrainingConfig setup = new DefaultTrainingConfig(new SegmentationLoss())
          .optOptimizer(Adam.builder().optLearningRateTracker(schedule).optWeightDecays(config.weightDecay()).build())
          // He-normal weights, as the graders: the convolutions are followed by ReLUs.
          .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
              Parameter.Type.WEIGHT);
      try (Trainer trainer = model.newTrainer(setup)) {
        trainer.initialize(new Shape(1, 1, size, size));
        long parameters = model.getBlock().getParameters().values().stream()
            .mapToLong(p -> p.getArray().getShape().size()).sum();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          double loss = runEpoch(trainer, train, epoch, steps);
          double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
          List<LabelMask> predicted = predictMasks(trainer, valImages);
          SegmentationMetrics metrics = SegmentationMetrics.of(config.classes(), valMasks, predicted, valSpacings);
          double seconds = (System.nanoTime() - epochStart) / 1e9;
          history.add(new SegmentationEpoch(epoch, loss, metrics.meanDice(), metrics.dicePerClass(),
              schedule.valueAt(epoch * steps - 1), seconds));
          log.printf(Locale.ROOT, "segmentation epoch %d/%d  loss %.4f  val mean Dice %.4f %s  %.1f s (%.1f s training)%n",
              epoch, config.epochs(), loss, metrics.meanDice(), metrics.dicePerClass(), seconds, trainSeconds);
          if (bestMetrics == null || score(metrics) > score(bestMetrics)) {
            bestMetrics = metrics;
            WeightFiles.save(model, config.outputDir(), WEIGHTS);
            best = card(epoch, parameters, size, metrics, history, data, started);
            best.write(config.outputDir());
          }
        }
      }
    }
    // The kept card again, now with the whole run's history and time.
    SegmentationCard card = best.finished(history, (System.nanoTime() - started) / 1e9);
    card.write(config.outputDir());
    log.printf(Locale.ROOT, "segmentation: kept epoch %d, val mean Dice %.4f, saved to %s%n", card.bestEpoch(),
        bestMetrics.meanDice(), config.outputDir());
    return new Result(config.outputDir(), card, bestMetrics);
  }

  /** Mean structure Dice; an epoch where it is undefined (no structure in val at all) never beats one where it is not. */
  private static double score(SegmentationMetrics metrics) {
    return Double.isNaN(metrics.meanDice()) ? Double.NEGATIVE_INFINITY : metrics.meanDice();
  }

  private double runEpoch(Trainer trainer, List<SegmentationSample> train, int epoch, int steps) {
    int[] order = Permutation.shuffled(train.size(), new SplittableRandom(config.seed() * 1_000_003L + epoch));
    int classes = config.classes().size();
    double lossSum = 0;
    for (int step = 0; step < steps; step++) {
      List<Plane> images = new ArrayList<>(config.batchSize());
      List<LabelMask> masks = new ArrayList<>(config.batchSize());
      for (int i = 0; i < config.batchSize(); i++) {
        int index = order[(step * config.batchSize() + i) % train.size()];
        // Per-image seed: an image gets the same augmentation in the same epoch whatever the batch it lands in.
        SplittableRandom random = new SplittableRandom(config.seed() ^ (epoch * 0x9E3779B97F4A7C15L + index));
        SegmentationSample augmented = config.augmentation().apply(train.get(index), random);
        images.add(augmented.image());
        masks.add(augmented.mask());
      }
      lossSum += OptimisationStep.take(trainer, manager -> new OptimisationStep.Batch(
          SegmentationInput.batch(manager, images), SegmentationLoss.oneHot(manager, masks, classes)));
    }
    return lossSum / steps;
  }

  /** Inference-mode masks (batch norm on its running statistics), as the loaded model will predict them. */
  private static List<LabelMask> predictMasks(Trainer trainer, List<Plane> images) {
    List<LabelMask> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += EVAL_BATCH) {
      List<Plane> chunk = images.subList(start, Math.min(images.size(), start + EVAL_BATCH));
      try (NDManager manager = trainer.getManager().newSubManager()) {
        NDArray logits = trainer.evaluate(new NDList(SegmentationInput.batch(manager, chunk))).singletonOrThrow();
        out.addAll(argMaxMasks(logits));
      }
    }
    return out;
  }

  /** The most likely class per pixel of N x classes x H x W scores. */
  static List<LabelMask> argMaxMasks(NDArray scores) {
    Shape shape = scores.getShape();
    int n = (int) shape.get(0);
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    int pixels = width * height;
    long[] labels = scores.argMax(1).toLongArray();
    List<LabelMask> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] mask = new byte[pixels];
      for (int p = 0; p < pixels; p++) {
        mask[p] = (byte) labels[i * pixels + p];
      }
      out.add(new LabelMask(width, height, mask));
    }
    return out;
  }

  /** The common side of all samples, after checking sizes, labels and the network's size multiple. */
  private int checkSamples(List<SegmentationSample> train, List<SegmentationSample> val) {
    if (train.size() < 1 || val.isEmpty()) {
      throw new IllegalArgumentException("segmentation training needs training and validation samples; got "
          + train.size() + " and " + val.size());
    }
    int size = train.get(0).width();
    config.network().checkInputSize(size, train.get(0).height());
    List<SegmentationSample> all = new ArrayList<>(train);
    all.addAll(val);
    for (int i = 0; i < all.size(); i++) {
      SegmentationSample s = all.get(i);
      String which = i < train.size() ? "training sample " + i : "validation sample " + (i - train.size());
      if (s.width() != size || s.height() != size) {
        throw new IllegalArgumentException(which + " is " + s.width() + "x" + s.height() + "; all must be " + size
            + "x" + size + " (resize them to one size first)");
      }
      if (s.mask().maxLabel() >= config.classes().size()) {
        throw new IllegalArgumentException(which + " has mask label " + s.mask().maxLabel() + " but only classes "
            + config.classes() + " are defined");
      }
    }
    return size;
  }

  private SegmentationCard card(int epoch, long parameters, int size, SegmentationMetrics metrics,
      List<SegmentationEpoch> history, Map<String, Object> data, long started) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("java", System.getProperty("java.version"));
    environment.put("djl", Engine.getDjlVersion());
    environment.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    environment.put("cpu_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    return new SegmentationCard(SegmentationCard.KIND, WEIGHTS, "epoch-" + epoch + "-seed-" + config.seed(),
        Instant.now().toString(), config.classes(), config.network(), parameters, size,
        List.of(SegmentationInput.DESCRIPTION, "loss: " + SegmentationLoss.DESCRIPTION), config, config.seed(), data,
        epoch, metrics.flat(), history, (System.nanoTime() - started) / 1e9, environment);
  }

  private static Map<String, Object> describeData(List<SegmentationSample> train, List<SegmentationSample> val) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("train_samples", train.size());
    data.put("val_samples", val.size());
    data.put("sha256_train", fingerprint(train));
    data.put("sha256_val", fingerprint(val));
    return data;
  }

  /** SHA-256 over every sample's size, pixels, labels and spacing, in order: the same data gives the same hex. */
  static String fingerprint(List<SegmentationSample> samples) {
    MessageDigest digest = Sha256.newDigest();
    for (SegmentationSample s : samples) {
      ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(s.width()).putInt(s.height());
      header.putDouble(s.spacing() == null ? 0 : s.spacing().columnMm());
      header.putDouble(s.spacing() == null ? 0 : s.spacing().rowMm());
      digest.update(header.array());
      ByteBuffer pixels = ByteBuffer.allocate(s.image().data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      pixels.asFloatBuffer().put(s.image().data());
      digest.update(pixels.array());
      digest.update(s.mask().labels());
    }
    return Sha256.hex(digest);
  }
}
