package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rheumalens.eval.GradingMetrics;
import org.rheumalens.eval.RegressionMetrics;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.locate.KneeTemplate;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.RandomAcquisition;
import org.rheumalens.robustness.RandomArchiveCopy;
import org.rheumalens.sampling.Permutation;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;
import org.rheumalens.training.OptimisationStep;
import org.rheumalens.training.WeightFiles;

/**
 * Trains a grading network with DJL on {@code train/}, selects the best epoch on {@code val/}, checkpoints after every
 * epoch and resumes from the last checkpoint when asked. Deterministic given the seed: data order and augmentation
 * are drawn from per-epoch and per-image seeded generators.
 */
public final class GradingTrainer {

  static final String CHECKPOINT = "checkpoint";
  /** Where, inside the checkpoint, a blended run keeps its own selection. */
  static final String UNBLENDED = "unblended";
  private static final int EVAL_BATCH = 64;

  private final TrainingConfig config;
  private final GradingTask task;
  /** The task's augmentation, after the acquisition augmentation where the config asks for it. */
  private final Pipeline augmentation;
  /** The storage augmentations alone (archive copy, acquisition), as the config asks. */
  private final Pipeline storage;
  /** Consistency training's copy: always another archive's. */
  private static final RandomArchiveCopy ALWAYS_ARCHIVE_COPY = new RandomArchiveCopy(1);
  /** The task normalisation the config names; the model card keeps its id. */
  private final Pipeline normalisation;
  private final PrintStream log;
  /** Where the task's outputs sit in the last layer; with secondary outputs the loss and labels cover them too. */
  private final OutputHeads heads;

  public GradingTrainer(TrainingConfig config, PrintStream log) {
    this(Tasks.byId(config.taskId()), config, log);
  }

  /** Trains a task defined outside {@link Tasks}; its id must be the config's. */
  public GradingTrainer(GradingTask task, TrainingConfig config, PrintStream log) {
    if (!task.id().equals(config.taskId())) {
      throw new IllegalArgumentException("config is for task " + config.taskId() + ", not " + task.id());
    }
    this.config = config;
    this.task = task;
    this.storage = storageAugmentation(config);
    this.augmentation = storage.then(task.augmentation());
    this.normalisation = task.normalisation(config.normalisation()).pipeline();
    this.log = log;
    this.heads = OutputHeads.of(task.definition());
    if (config.network().classes() != heads.totalUnits()) {
      throw new IllegalArgumentException("the network has " + config.network().classes() + " output units; task "
          + task.id() + "'s outputs need " + heads.totalUnits());
    }
    if (config.network().inputChannels() != task.inputChannels()) {
      throw new IllegalArgumentException("the network takes " + config.network().inputChannels() + " input channel(s); "
          + "task " + task.id() + " gives " + task.inputChannels() + " (input.channels)");
    }
    if (heads.hasSecondary() && !config.teachers().isEmpty()) {
      throw new IllegalArgumentException("distillation (--teacher) of a task with several outputs is not supported");
    }
    if (heads.hasSecondary() && (config.neighbourSmoothing() > 0 || config.mixupAlpha() > 0)) {
      throw new IllegalArgumentException("neighbour smoothing and mixup of a task with several outputs are not supported");
    }
    if (heads.hasSecondary() && config.consistencyWeight() > 0) {
      throw new IllegalArgumentException("consistency training of a task with several outputs is not supported");
    }
    if (config.neighbourSmoothing() > 0 && !ordinal()) {
      throw new IllegalArgumentException("neighbour smoothing needs an ordinal output; task " + task.id()
          + "'s is " + task.primary().kind().name().toLowerCase());
    }
  }

  /** Runs (or resumes, when {@code resume} and a checkpoint exists) the training and returns the selected model. */
  public TrainingResult train(boolean resume) throws IOException {
    long started = System.nanoTime();
    // Checked before hours of training, not after.
    ModelCard blendSource = config.blendWith() == null ? null : blendable();
    TrainingData source = TrainingData.load(config, task, log);
    List<LabelledImage> trainList = cap(source.train(), config.maxPerGrade());
    List<LabelledImage> valList = cap(source.val(), config.maxValPerGrade());
    log.printf("data: %d train, %d val images; preparing...%n", trainList.size(), valList.size());
    PreparedImages train = PreparedImages.load(task, trainList);
    PreparedImages val = PreparedImages.load(task, valList);
    train.failures().forEach(f -> log.println("skipped: " + f));
    val.failures().forEach(f -> log.println("skipped: " + f));
    List<Plane> valInputs = val.inputs(normalisation);
    float[][] teacherTargets = teacherTargets(train);
    int[] trainCounts = LabelledImage.countPerGrade(trainList, task.classes());
    float[] classWeights = OrdinalLoss.balancedWeights(trainCounts, config.classWeightPower());
    log.printf("prepared in %.1f s; class weights %s%n", (System.nanoTime() - started) / 1e9, java.util.Arrays.toString(classWeights));

    Map<String, Object> data = describeData(source, trainList, valList);
    Files.createDirectories(config.outDir());
    Path checkpointDir = config.outDir().resolve(CHECKPOINT);
    TrainingState state = resume ? TrainingState.read(checkpointDir).orElse(TrainingState.fresh()) : TrainingState.fresh();
    if (state.epochsDone() > 0) {
      log.printf("resuming after epoch %d (best so far: epoch %d)%n", state.epochsDone(), state.bestEpoch());
      if (state.bestEpoch() > 0 && !Files.exists(WeightFiles.file(config.outDir(), task.id()))) {
        log.printf("  epoch %d's weights are not in %s (a run carried with its latest weights only): selection starts "
            + "again from epoch %d%n", state.bestEpoch(), config.outDir(), state.epochsDone() + 1);
        state = state.withoutBest();
      }
    }

    if (train.count() < config.batchSize()) {
      throw new IllegalArgumentException("only " + train.count() + " training images could be read, fewer than one batch of "
          + config.batchSize() + "; give --batch " + Math.max(1, train.count()) + " or fewer, or more images");
    }
    int stepsPerEpoch = Math.max(1, train.count() / config.batchSize());
    int totalSteps = stepsPerEpoch * config.epochs();
    WarmupCosineSchedule schedule =
        new WarmupCosineSchedule(config.learningRate(), stepsPerEpoch, totalSteps, state.epochsDone() * stepsPerEpoch);
    Engine.getInstance().setRandomSeed((int) config.seed());

    try (Model model = Model.newInstance(task.id(), Device.cpu())) {
      model.setBlock(ResidualNetwork.build(config.network()));
      if (state.epochsDone() > 0) {
        loadWeights(model, checkpointDir, CHECKPOINT);
      }
      DefaultTrainingConfig trainingConfig = trainingConfig(config, classWeights, schedule, ordinal(), heads);
      ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-prefetch");
        t.setDaemon(true);
        return t;
      });
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        trainer.initialize(new Shape(1, task.inputChannels(), task.inputSize(), task.inputSize()));
        if (state.epochsDone() == 0 && config.initialWeights() != null) {
          WeightTransfer.Report transfer = WeightTransfer.copy(config.initialWeights(), model);
          log.printf("starting from the weights in %s: %s%n", config.initialWeights(), transfer.describe());
        }
        long parameters = countParameters(model);
        for (int epoch = state.epochsDone() + 1; epoch <= config.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          double loss = runEpoch(trainer, train, teacherTargets, epoch, stepsPerEpoch, prefetch);
          Validation validation = evaluate(trainer.getManager(), trainer::evaluate, valInputs, val);
          GradingMetrics metrics = validation.metrics();
          double seconds = (System.nanoTime() - epochStart) / 1e9;
          EpochRecord record = new EpochRecord(epoch, loss, metrics.accuracy(), metrics.quadraticWeightedKappa(),
              metrics.meanAbsoluteError(), seconds, schedule.valueAt(epoch * stepsPerEpoch - 1));
          log.printf("epoch %d/%d  loss %.4f  val acc %.4f  QWK %.4f  MAE %.4f  recall %s%s  %.0f s%n", epoch, config.epochs(),
              loss, metrics.accuracy(), metrics.quadraticWeightedKappa(), metrics.meanAbsoluteError(),
              formatRecall(metrics.perGradeRecall()), validation.secondary(), seconds);
          double score = validation.score();
          boolean best = score > state.bestScore();
          state = state.after(record, best ? epoch : state.bestEpoch(), Math.max(score, state.bestScore()), seconds);
          if (best) {
            saveWeights(model, config.outDir(), task.id());
            card("epoch-" + epoch + "-seed-" + config.seed(), parameters, epoch, metrics, state, data).write(config.outDir());
            log.printf("  new best (score %.4f): saved to %s%n", score, config.outDir());
          }
          if (config.averageFromEpoch() > 0 && epoch >= config.averageFromEpoch()) {
            WeightAveraging.keep(model, checkpointDir, epoch);
          }
          saveWeights(model, checkpointDir, CHECKPOINT);
          state.write(checkpointDir);
        }
      } finally {
        prefetch.shutdownNow();
      }
    }
    // A blend already made keeps the run's own selection (the average included) in the checkpoint: no second try.
    Path unblended = checkpointDir.resolve(UNBLENDED);
    boolean blendedBefore = Files.exists(WeightFiles.file(unblended, task.id()));
    if (config.averageFromEpoch() > 0 && !blendedBefore) {
      tryAveragedWeights(state, train, valInputs, val, data);
    }
    if (blendSource != null) {
      if (!blendedBefore) {
        saveSelection(unblended);
      }
      blend(blendSource, unblended, state, train, valInputs, val, data);
    }
    TrainingResult result = choosePolicy(state, valInputs, val.grades());
    OversightSettings oversight =
        new OversightFitter(task, OversightFitter.TRIAGE_TARGET_ACCURACY, log).fit(config.outDir(), train, val);
    if (task.measuresJointSpace()) {
      // Knee models also find knees in whole radiographs: the template is the mean training crop.
      fitKneeTemplate(train).write(config.outDir());
    }
    return new TrainingResult(result.modelDir(), result.card().withOversight(oversight), result.bestValMetrics());
  }

  /**
   * Averages the weights kept from {@code averageFromEpoch} on ({@link WeightAveraging}), measures the batch-norm
   * statistics again on training batches, and makes the average the model where it beats the best single epoch on val.
   */
  private void tryAveragedWeights(TrainingState state, PreparedImages train, List<Plane> valInputs, PreparedImages val,
      Map<String, Object> data) throws IOException {
    Path checkpointDir = config.outDir().resolve(CHECKPOINT);
    List<Integer> epochs = WeightAveraging.kept(checkpointDir, config.averageFromEpoch(), state.epochsDone());
    if (epochs.size() < 2) {
      log.printf("weight averaging: %d epoch(s) kept from epoch %d on; nothing to average%n", epochs.size(), config.averageFromEpoch());
      return;
    }
    long start = System.nanoTime();
    try (Model model = networkFromWeights(task.id(), config.network(), task.inputChannels(), task.inputSize(),
        checkpointDir.resolve(WeightAveraging.FOLDER), WeightAveraging.name(epochs.get(epochs.size() - 1)))) {
      WeightAveraging.average(model, config.network(), checkpointDir, epochs);
      double moved = remeasureBatchNorm(model, train);
      Validation validation = validate(model, valInputs, val);
      GradingMetrics metrics = validation.metrics();
      double score = validation.score();
      log.printf("weight average of epochs %d-%d (%d kept; batch-norm means moved up to %.3f): val acc %.4f  QWK %.4f  MAE %.4f"
          + "  recall %s  score %.4f against the best epoch's %.4f  %.0f s%n", epochs.get(0), epochs.get(epochs.size() - 1),
          epochs.size(), moved, metrics.accuracy(), metrics.quadraticWeightedKappa(), metrics.meanAbsoluteError(),
          formatRecall(metrics.perGradeRecall()), score, state.bestScore(), (System.nanoTime() - start) / 1e9);
      if (score > state.bestScore()) {
        saveWeights(model, config.outDir(), task.id());
        String version = String.format(Locale.ROOT, "epochs-%d-%d-averaged-seed-%d", epochs.get(0),
            epochs.get(epochs.size() - 1), config.seed());
        card(version, countParameters(model), state.epochsDone(), metrics, state, data).write(config.outDir());
        log.printf("  the average is the model: saved to %s%n", config.outDir());
      }
    }
  }

  /**
   * Measures an averaged or blended network's batch-norm statistics again on the batches of an epoch after the last,
   * augmented as in training: the statistics the network learnt under. Returns the largest change of a running mean.
   */
  private double remeasureBatchNorm(Model model, PreparedImages train) {
    int batchEpoch = config.epochs() + 1;
    int[] order = Permutation.shuffled(train.count(), new SplittableRandom(config.seed() * 1_000_003L + batchEpoch));
    int batches = Math.max(1, Math.min(WeightAveraging.BATCH_NORM_BATCHES, train.count() / config.batchSize()));
    return WeightAveraging.recomputeBatchNorm(model, () -> IntStream.range(0, batches)
        .mapToObj(step -> makeBatch(train, null, order, step, batchEpoch).planes()).iterator());
  }

  /**
   * Blends {@code blendWith}'s weights into this run's selection, kept in {@code unblended} ({@link
   * WeightAveraging#combine}), measures the batch-norm statistics again and makes the blend the model (its val result
   * is logged beside the run's own). Since the selection is kept apart, the same command run again blends it, not the
   * blend.
   */
  private void blend(ModelCard otherCard, Path unblended, TrainingState state, PreparedImages train,
      List<Plane> valInputs, PreparedImages val, Map<String, Object> data) throws IOException {
    Path other = config.blendWith();
    ModelCard own = ModelCard.read(unblended);
    long start = System.nanoTime();
    try (Model model = networkFromWeights(task.id(), config.network(), task.inputChannels(), task.inputSize(),
        unblended, task.id())) {
      double ownScore = validate(model, valInputs, val).score();
      WeightAveraging.combine(model, config.network(), List.of(
          new WeightAveraging.Source(unblended, task.id(), 1 - config.blendShare()),
          new WeightAveraging.Source(other, otherCard.name(), config.blendShare())));
      double moved = remeasureBatchNorm(model, train);
      Validation validation = validate(model, valInputs, val);
      GradingMetrics metrics = validation.metrics();
      log.printf("blend of %.2f this run (%s) and %.2f %s (%s; batch-norm means moved up to %.3f): val acc %.4f  QWK %.4f"
          + "  MAE %.4f  recall %s  score %.4f against this run's %.4f  %.0f s%n", 1 - config.blendShare(),
          own.version(), config.blendShare(), other, otherCard.version(), moved, metrics.accuracy(),
          metrics.quadraticWeightedKappa(), metrics.meanAbsoluteError(), formatRecall(metrics.perGradeRecall()),
          validation.score(), ownScore, (System.nanoTime() - start) / 1e9);
      saveWeights(model, config.outDir(), task.id());
      String version = String.format(Locale.ROOT, "%s-blended-%.2f-with-%s", own.version(), config.blendShare(),
          otherCard.version());
      card(version, countParameters(model), own.bestEpoch(), metrics, state, data).write(config.outDir());
      log.printf("  the blend is the model: saved to %s%n", config.outDir());
    }
  }

  /** Val result of a network outside the trainer, as {@link #evaluate} gives epochs'. */
  private Validation validate(Model model, List<Plane> valInputs, PreparedImages val) {
    ParameterStore store = new ParameterStore(model.getNDManager(), false);
    return GradingModel.withoutAutograd(() -> evaluate(model.getNDManager(),
        x -> model.getBlock().forward(store, x, false), valInputs, val));
  }

  /** The card of the model to blend with, refused (naming why) where its network or normalisation is not this run's. */
  private ModelCard blendable() throws IOException {
    Path other = config.blendWith();
    ModelCard otherCard = ModelCard.read(other);
    if (!otherCard.network().equals(config.network())) {
      throw new IllegalArgumentException("cannot blend with " + other + ": its network " + otherCard.network()
          + " is not this run's " + config.network());
    }
    String ownNormalisation = task.normalisation(config.normalisation()).id();
    String otherNormalisation = task.normalisation(otherCard.normalisationId()).id();
    if (!ownNormalisation.equals(otherNormalisation)) {
      throw new IllegalArgumentException("cannot blend with " + other + ": it was trained on the '" + otherNormalisation
          + "' normalisation, this run on '" + ownNormalisation + "'");
    }
    return otherCard;
  }

  /** Copies the selected weights and card from the output folder to {@code dir}. */
  private void saveSelection(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(WeightFiles.file(config.outDir(), task.id()), WeightFiles.file(dir, task.id()),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(config.outDir().resolve(ModelCard.FILE), dir.resolve(ModelCard.FILE), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Chooses, on val, how the selected model reads grades ({@link PolicySearch}). */
  private TrainingResult choosePolicy(TrainingState state, List<Plane> valInputs, int[] truth) throws IOException {
    try (GradingModel best = GradingModel.load(config.outDir())) {
      PolicySearch.Outcome outcome = PolicySearch.run(best, valInputs, truth, task.classes(), ordinal());
      ModelCard card = best.card().finished(state.history(), state.trainingSeconds(), outcome.policy(),
          metricsMap(outcome.metrics()), outcome.candidates());
      card.write(config.outDir());
      log.printf("done: best epoch %d, inference %s, val %s%n", card.bestEpoch(), outcome.policy().describe(), card.valMetrics());
      return new TrainingResult(config.outDir(), card, outcome.metrics());
    }
  }

  /** The DJL training set-up of a run: ordinal loss, Adam with the schedule, He-normal initial weights. */
  public static DefaultTrainingConfig trainingConfig(TrainingConfig config, float[] classWeights, Tracker schedule) {
    return trainingConfig(config, classWeights, schedule, true, null);
  }

  /** As above; outputs without an order ({@code ordinal} false) train on cross-entropy alone, without the EMD term. */
  static DefaultTrainingConfig trainingConfig(TrainingConfig config, float[] classWeights, Tracker schedule,
      boolean ordinal, OutputHeads heads) {
    OrdinalLoss primary = new OrdinalLoss(classWeights, ordinal ? config.emdWeight() : 0f);
    Loss loss = heads != null && heads.hasSecondary() ? new MultiOutputLoss(primary, heads) : primary;
    if (config.consistencyWeight() > 0) {
      loss = new ConsistencyLoss(loss, (float) config.consistencyWeight());
    }
    return new DefaultTrainingConfig(loss)
        .optOptimizer(Adam.builder().optLearningRateTracker(schedule).optWeightDecays(config.weightDecay()).build())
        .optInitializer(
            new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
            Parameter.Type.WEIGHT);
  }

  /** One optimisation step on a batch; every array of the step dies with its sub-manager. Returns the loss. */
  public static float trainStep(Trainer trainer, List<Plane> planes, int[] grades) {
    return trainStep(trainer, planes, grades, null);
  }

  /** As {@link #trainStep(Trainer, List, int[])}, towards target distributions ({@code targets}) where given. */
  static float trainStep(Trainer trainer, List<Plane> planes, int[] grades, float[][] targets) {
    return OptimisationStep.take(trainer, manager -> new OptimisationStep.Batch(ModelInput.batch(manager, planes),
        targets == null ? manager.create(grades) : manager.create(targets)));
  }

  /**
   * Ordinal outputs: accuracy and quadratic kappa matter equally (the KL targets); select on their mean. Binary and
   * categorical ones: accuracy and balanced accuracy, so a rare class is not given up for the common one.
   */
  static double selectionScore(GradingMetrics m, boolean ordinal) {
    return ordinal
        ? (m.accuracy() + m.quadraticWeightedKappa()) / 2
        : (m.accuracy() + m.balancedAccuracy()) / 2;
  }

  private boolean ordinal() {
    return task.primary().kind() == org.rheumalens.tasks.TaskDefinition.Kind.ORDINAL;
  }

  private double runEpoch(Trainer trainer, PreparedImages train, float[][] teacherTargets, int epoch, int steps,
      ExecutorService prefetch) {
    int[] order = Permutation.shuffled(train.count(), new SplittableRandom(config.seed() * 1_000_003L + epoch));
    double lossSum = 0;
    long waitNanos = 0;
    long epochStart = System.nanoTime();
    Future<Batch> next = prefetch.submit(() -> makeBatch(train, teacherTargets, order, 0, epoch));
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, config.epochs()))
        .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(log))
        .setUpdateIntervalMillis(2000).build()) {
      for (int step = 0; step < steps; step++) {
        long waitStart = System.nanoTime();
        Batch batch = next.get();
        waitNanos += System.nanoTime() - waitStart;
        if (step + 1 < steps) {
          int nextStep = step + 1;
          next = prefetch.submit(() -> makeBatch(train, teacherTargets, order, nextStep, epoch));
        }
        lossSum += trainStep(trainer, batch.planes(), batch.grades(), batch.targets());
        bar.step();
        bar.setExtraMessage(String.format(" loss %.4f", lossSum / (step + 1)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("preparing a training batch failed", e.getCause());
    }
    double seconds = (System.nanoTime() - epochStart) / 1e9;
    log.printf("  %.1f images/s; %.1f s of %.1f s waiting for augmentation%n",
        steps * config.batchSize() / seconds, waitNanos / 1e9, seconds);
    return lossSum / steps;
  }

  /** A training batch; {@code targets} holds each image's target distribution when distilling, else null. */
  private record Batch(List<Plane> planes, int[] grades, float[][] targets) {

    /** The batch followed by the copies of its crops, each with its crop's labels ({@link ConsistencyLoss}). */
    Batch pairedWith(List<Plane> copies) {
      List<Plane> both = new ArrayList<>(planes);
      both.addAll(copies);
      int n = grades.length;
      int[] twiceGrades = java.util.Arrays.copyOf(grades, 2 * n);
      System.arraycopy(grades, 0, twiceGrades, n, n);
      float[][] twiceTargets = null;
      if (targets != null) {
        twiceTargets = java.util.Arrays.copyOf(targets, 2 * n);
        System.arraycopy(targets, 0, twiceTargets, n, n);
      }
      return new Batch(both, twiceGrades, twiceTargets);
    }
  }

  private Batch makeBatch(PreparedImages train, float[][] teacherTargets, int[] order, int step, int epoch) {
    int size = config.batchSize();
    List<Plane> planes = new ArrayList<>(size);
    // Consistency training: each crop's archive copy, in the crop's order, appended after the crops.
    List<Plane> copies = config.consistencyWeight() > 0 ? new ArrayList<>(size) : null;
    int[] grades = new int[size];
    // With secondary outputs the loss reads one label row per image (MultiOutputLoss); else soft targets or grades.
    boolean soft = teacherTargets != null || config.neighbourSmoothing() > 0 || config.mixupAlpha() > 0;
    float[][] targets = !soft && !heads.hasSecondary() ? null : new float[size][];
    for (int i = 0; i < size; i++) {
      int index = order[step * size + i];
      // Per-image seed: the same epoch and image always get the same augmentation, whatever the thread timing.
      SplittableRandom random = new SplittableRandom(config.seed() ^ (epoch * 0x9E3779B97F4A7C15L + index));
      if (copies == null) {
        Plane augmented = augmentation.apply(train.plane(index), random);
        planes.add(normalisation.apply(augmented, random));
      } else {
        // The crop and its copy get the same task augmentation (one seed), so they differ as two archives' copies do.
        long taskSeed = random.nextLong();
        Plane crop = storage.apply(train.plane(index), random);
        planes.add(normalisation.apply(task.augmentation().apply(crop, new SplittableRandom(taskSeed)), random));
        Plane copy = ALWAYS_ARCHIVE_COPY.apply(train.plane(index), random);
        copies.add(normalisation.apply(task.augmentation().apply(copy, new SplittableRandom(taskSeed)), random));
      }
      grades[i] = train.grade(index);
      if (heads.hasSecondary()) {
        targets[i] = labelRow(grades[i], train.secondary(index));
      } else if (targets != null) {
        float[] target = teacherTargets != null
            ? mixedTarget(teacherTargets[index], grades[i])
            : TargetShaping.oneHot(grades[i], task.classes());
        targets[i] = TargetShaping.neighbourSmoothed(target, config.neighbourSmoothing());
      }
    }
    if (config.mixupAlpha() > 0) {
      TargetShaping.MixPlan plan = TargetShaping.MixPlan.draw(size, config.mixupAlpha(),
          new SplittableRandom(config.seed() * 31 + epoch * 0x9E3779B97F4A7C15L + step));
      TargetShaping.Mixed mixed = plan.apply(planes, targets);
      Batch batch = new Batch(mixed.planes(), grades, mixed.targets());
      return copies == null ? batch : batch.pairedWith(plan.apply(copies, targets).planes());
    }
    Batch batch = new Batch(planes, grades, targets);
    return copies == null ? batch : batch.pairedWith(copies);
  }

  /** One image's labels for {@link MultiOutputLoss}: the grade, then each secondary label (regression scaled). */
  private float[] labelRow(int grade, float[] secondary) {
    float[] row = new float[1 + secondary.length];
    row[0] = grade;
    for (int k = 0; k < secondary.length; k++) {
      OutputHeads.Head head = heads.secondary().get(k);
      row[k + 1] = head.output().kind() == org.rheumalens.tasks.TaskDefinition.Kind.REGRESSION
          ? head.scaled(secondary[k]) : secondary[k];
    }
    return row;
  }

  /** The teacher's distribution blended with the image's own grade: a teacher's mistakes are not copied whole. */
  private float[] mixedTarget(float[] teacher, int grade) {
    float[] target = new float[teacher.length];
    for (int k = 0; k < target.length; k++) {
      target[k] = (float) (config.distillWeight() * teacher[k] + (k == grade ? 1 - config.distillWeight() : 0));
    }
    return target;
  }

  /**
   * Soft targets for distillation: each teacher's probabilities on every un-augmented training image, under that
   * teacher's own inference policy (mirrored averaging included), averaged over the teachers. The student sees
   * augmented images against these clean-image targets, so it also learns to give an image's grade whatever the
   * augmentation (acquisition included) did to it. Null when the config names no teacher.
   */
  private float[][] teacherTargets(PreparedImages train) throws IOException {
    if (config.teachers().isEmpty()) {
      return null;
    }
    long start = System.nanoTime();
    float[][] sum = new float[train.count()][];
    for (Path teacherDir : config.teachers()) {
      try (GradingModel teacher = GradingModel.load(teacherDir)) {
        if (!teacher.card().taskId().equals(task.id()) || teacher.card().network().classes() != task.classes()) {
          throw new IllegalArgumentException("teacher " + teacherDir + " is a " + teacher.card().taskId()
              + " model; distilling " + task.id() + " needs one of the same task");
        }
        // The teacher sees its inputs as it was trained to, whatever normalisation the student learns on.
        Pipeline teacherNormalisation = teacher.normalisation(task);
        for (int startIndex = 0; startIndex < train.count(); startIndex += EVAL_BATCH) {
          int end = Math.min(train.count(), startIndex + EVAL_BATCH);
          float[][] probabilities = teacher.predict(train.inputs(teacherNormalisation, startIndex, end));
          for (int i = startIndex; i < end; i++) {
            float[] p = probabilities[i - startIndex];
            if (sum[i] == null) {
              sum[i] = new float[p.length];
            }
            for (int k = 0; k < p.length; k++) {
              sum[i][k] += p[k] / config.teachers().size();
            }
          }
        }
      }
    }
    log.printf("soft targets from %d teacher(s) in %.0f s%n", config.teachers().size(), (System.nanoTime() - start) / 1e9);
    return sum;
  }

  /**
   * Val metrics of a network ({@code network}: inference-mode forward) under argmax, as epochs are selected; with
   * secondary outputs also their share of the selection score.
   */
  @SuppressWarnings("unchecked")
  private Validation evaluate(NDManager parent, UnaryOperator<NDList> network, List<Plane> inputs,
      PreparedImages val) {
    int[] predicted = new int[inputs.size()];
    float[][] rest = heads.hasSecondary() ? new float[inputs.size()][] : null;
    for (int start = 0; start < inputs.size(); start += EVAL_BATCH) {
      List<Plane> chunk = inputs.subList(start, Math.min(inputs.size(), start + EVAL_BATCH));
      try (NDManager manager = parent.newSubManager()) {
        NDArray logits = network.apply(new NDList(ModelInput.batch(manager, chunk))).singletonOrThrow();
        long[] argMax = logits.get(new NDIndex(":, 0:" + heads.primaryUnits())).argMax(1).toLongArray();
        float[] all = rest == null ? null : logits.toFloatArray();
        int width = (int) logits.getShape().get(1);
        for (int i = 0; i < argMax.length; i++) {
          predicted[start + i] = (int) argMax[i];
          if (rest != null) {
            rest[start + i] = heads.rest(java.util.Arrays.copyOfRange(all, i * width, (i + 1) * width));
          }
        }
      }
    }
    GradingMetrics metrics = GradingMetrics.compute(task.classes(), val.grades(), predicted);
    double score = selectionScore(metrics, ordinal());
    if (rest == null) {
      return new Validation(metrics, score, "");
    }
    // Every output counts equally, so an epoch is not chosen for its primary grade while another head is untrained.
    StringBuilder summary = new StringBuilder();
    double sum = score;
    for (int k = 0; k < heads.secondary().size(); k++) {
      OutputHeads.Head head = heads.secondary().get(k);
      double[] truth = new double[inputs.size()];
      double[] guess = new double[inputs.size()];
      for (int i = 0; i < inputs.size(); i++) {
        truth[i] = val.secondary(i)[k];
        Map<String, Object> reading = (Map<String, Object>) heads.read(rest[i]).get(head.output().name());
        guess[i] = ((Number) reading.get(head.output().kind() == TaskDefinition.Kind.REGRESSION ? "value" : "class"))
            .doubleValue();
      }
      double headScore;
      if (head.output().kind() == TaskDefinition.Kind.REGRESSION) {
        RegressionMetrics r = RegressionMetrics.compute(truth, guess);
        headScore = Double.isFinite(r.icc21()) ? Math.max(0, r.icc21()) : 0;
        summary.append(String.format(Locale.ROOT, "  %s MAE %.3f ICC %.3f", head.output().name(), r.mae(), r.icc21()));
      } else {
        GradingMetrics m = GradingMetrics.compute(head.units(), toInts(truth), toInts(guess));
        headScore = selectionScore(m, head.output().kind() == TaskDefinition.Kind.ORDINAL);
        summary.append(String.format(Locale.ROOT, "  %s acc %.3f", head.output().name(), m.accuracy()));
      }
      sum += headScore;
    }
    return new Validation(metrics, sum / (1 + heads.secondary().size()), summary.toString());
  }

  /** An epoch's val result: the primary output's metrics, the selection score over all outputs, the others' figures. */
  private record Validation(GradingMetrics metrics, double score, String secondary) {}

  private static int[] toInts(double[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) Math.round(values[i]);
    }
    return out;
  }

  /** The card's data section; hashing reads every image once, so it is built once per run. */
  private Map<String, Object> describeData(TrainingData source, List<LabelledImage> trainList,
      List<LabelledImage> valList) throws IOException {
    Map<String, Object> data = new LinkedHashMap<>(source.description());
    data.put("train_per_grade", LabelledImage.countPerGrade(trainList, task.classes()));
    data.put("val_per_grade", LabelledImage.countPerGrade(valList, task.classes()));
    data.put("sha256_train", DataFingerprint.of(source.root(), trainList));
    data.put("sha256_val", DataFingerprint.of(source.root(), valList));
    return data;
  }

  private ModelCard card(String version, long parameters, int epoch, GradingMetrics metrics, TrainingState state,
      Map<String, Object> data) {
    Map<String, Double> val = metricsMap(metrics);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("java", System.getProperty("java.version"));
    environment.put("djl", Engine.getDjlVersion());
    environment.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    environment.put("cpu_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return new ModelCard(task.id(), task.id(), version, Instant.now().toString(),
        config.network(), parameters, task.inputSize(), describePreprocessing(), data, config, epoch, val,
        state.trainingSeconds(), state.history(), environment, InferencePolicy.PLAIN, List.of(), null,
        task.definition());
  }

  /** The archive-copy and acquisition augmentations the config asks for, in that order (either may be absent). */
  private static Pipeline storageAugmentation(TrainingConfig config) {
    Pipeline.Builder steps = Pipeline.builder();
    if (config.archiveAugmentation()) {
      RandomArchiveCopy archive = RandomArchiveCopy.standard();
      steps.add(archive.describe(), archive);
    }
    if (config.acquisitionAugmentation()) {
      RandomAcquisition acquisition = RandomAcquisition.standard();
      steps.add(acquisition.describe(), acquisition);
    }
    return steps.build();
  }

  /** The task's steps, with the storage augmentations listed, in the order they run, where this run used them. */
  private List<String> describePreprocessing() {
    List<String> steps = new ArrayList<>(task.describePreprocessing(config.normalisation()));
    int firstTrainOnly = 0;
    while (firstTrainOnly < steps.size() && !steps.get(firstTrainOnly).startsWith("train-only ")) {
      firstTrainOnly++;
    }
    steps.addAll(firstTrainOnly,
        storageAugmentation(config).describe().stream().map(name -> "train-only " + name).toList());
    return steps;
  }

  private Map<String, Double> metricsMap(GradingMetrics metrics) {
    return ModelCard.metrics(metrics, task.grades());
  }

  /**
   * A network of {@code spec} holding the weights in {@code dir/prefix}, initialised before loading so that it can be
   * saved again: DJL writes the input description that initialisation sets and loading alone leaves empty ("key value
   * size mismatch" on save, which ended run 20 when its weight average won).
   */
  static Model networkFromWeights(String name, NetworkSpec spec, int channels, int size, Path dir, String prefix)
      throws IOException {
    Model model = Model.newInstance(name, Device.cpu());
    try {
      model.setBlock(ResidualNetwork.build(spec));
      model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(1, channels, size, size));
      loadWeights(model, dir, prefix);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  static void loadWeights(Model model, Path dir, String prefix) throws IOException {
    WeightFiles.load(model, dir, prefix, "the model card");
  }

  static void saveWeights(Model model, Path dir, String name) throws IOException {
    WeightFiles.save(model, dir, name);
  }

  static long countParameters(Model model) {
    return model.getBlock().getParameters().values().stream()
        .mapToLong(p -> p.getArray().getShape().size()).sum();
  }

  private List<LabelledImage> cap(List<LabelledImage> images, int maxPerGrade) {
    if (maxPerGrade <= 0) {
      return images;
    }
    SplittableRandom random = new SplittableRandom(config.seed());
    List<LabelledImage> kept = new ArrayList<>();
    for (int grade = 0; grade < task.classes(); grade++) {
      int g = grade;
      List<LabelledImage> ofGrade = new ArrayList<>(images.stream().filter(i -> i.grade() == g).toList());
      int[] order = Permutation.shuffled(ofGrade.size(), random);
      for (int i = 0; i < Math.min(maxPerGrade, ofGrade.size()); i++) {
        kept.add(ofGrade.get(order[i]));
      }
    }
    return kept;
  }

  private static String formatRecall(double[] recall) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < recall.length; i++) {
      s.append(i == 0 ? "" : " ").append(String.format("%.2f", recall[i]));
    }
    return s.append(']').toString();
  }

  /** The whole-radiograph knee locator's template, from the training crops (windowed and model-sized). */
  public static KneeTemplate fitKneeTemplate(PreparedImages train) {
    List<Plane> crops = new ArrayList<>(train.count());
    for (int i = 0; i < train.count(); i++) {
      crops.add(train.plane(i));
    }
    return KneeTemplate.fit(crops, KneeTemplate.SIZE);
  }
}
