package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.ml.TrainingData;
import org.rheumalens.ml.TrainingResult;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.segmentation.ManifestSegmentation;
import org.rheumalens.segmentation.SegmentationConfig;
import org.rheumalens.segmentation.SegmentationMetrics;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rheumalens train}: trains a grading model on train/, selects on val/, checkpoints and resumes. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model for a task on train/ (or --train CSV), selecting on val/ (or --val CSV).")
final class TrainCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Mixin TaskOptions taskOptions;

  @Option(names = "--data", description = "Folder with train/ and val/, each with one sub-folder per class index (0, 1, ...).")
  Path data;

  @Option(names = "--train", paramLabel = "CSV", description = "Training manifest: image (path relative to the CSV), "
      + "the label column(s) the task names, optional patient, any other columns.")
  Path trainManifest;

  @Option(names = "--val", paramLabel = "CSV", description = "Selection manifest (default: a seeded, patient-grouped "
      + "share of --train, recorded in the model card).")
  Path valManifest;

  @Option(names = "--held-out", defaultValue = "0.15", description = "Share of --train held out for selection when "
      + "there is no --val (default ${DEFAULT-VALUE}).")
  double heldOut;

  @Option(names = "--out", required = true, description = "Output folder for the model, its card and checkpoints.")
  Path out;

  @Option(names = "--epochs", description = "Passes over the training set (default: 14 for a data folder; for a "
      + "manifest, enough for about " + Schedule.TARGET_STEPS + " optimisation steps, 14 to 60).") Integer epochs;
  @Option(names = "--batch", description = "Images per step (default 32; 16 for manifests under 1,000 images).") Integer batch;
  @Option(names = "--lr", defaultValue = "0.0015", description = "Peak learning rate.") float learningRate;
  @Option(names = "--weight-decay", defaultValue = "0.0001") float weightDecay;
  @Option(names = "--emd-weight", defaultValue = "1.0", description = "Weight of the ordinal (EMD) loss term.") float emdWeight;
  @Option(names = "--class-weight-power", defaultValue = "0.5", description = "Class weights = frequency^-power.") double classWeightPower;
  @Option(names = "--acquisition-augmentation", description = "Also augment acquisition and storage (raw look, gamma, noise, 8-12 bits) so grades do not depend on contrast processing.") boolean acquisitionAugmentation;
  @Option(names = "--archive-augmentation", description = "Also turn half the training crops into another archive's copy (raw look, crop jitter, sharpening or softening, noise, windowing, JPEG or 10-16 bits), the differences `steadiness` measures.") boolean archiveAugmentation;
  @Option(names = "--normalisation", description = "The task normalisation to train with (knee-kl: clahe, the default, flat-equalised or flat-sharpness-equalised); the model card keeps it and inference uses it.") String normalisation;
  @Option(names = "--teacher", description = "Distil: a model folder whose mirrored-averaged probabilities become soft targets (repeat for an ensemble).") List<Path> teachers = new ArrayList<>();
  @Option(names = "--distil-weight", defaultValue = "0.7", description = "Share of the teachers' distribution in each target (rest: the image's grade).") double distillWeight;
  @Option(names = "--neighbour-smoothing", defaultValue = "0", description = "Ordinal grades: move this share of each image's target to the adjacent grades (readers disagree by one grade; 0: off).") double neighbourSmoothing;
  @Option(names = "--mixup", defaultValue = "0", paramLabel = "ALPHA", description = "Blend each training image with another of its batch, targets alike, own share ~ Beta(ALPHA, ALPHA) kept >= 0.5 (0: off; 0.2-0.4 usual).") double mixup;
  @Option(names = "--consistency", defaultValue = "0", paramLabel = "WEIGHT", description = "Consistency training: pair every training crop with another archive's copy of it (raw look, crop jitter, sharpening or softening, noise, windowing, JPEG or 10-16 bits), grade both, and add WEIGHT x the divergence between their predicted grades to the loss (0: off; doubles the images per step).") double consistency;
  @Option(names = "--init-from", description = "Start from another model's weights: every parameter whose name and shape match is copied (the same network whole; another task's backbone, with a new classifier).") Path initialWeights;
  @Option(names = "--average-from-epoch", defaultValue = "0", description = "Keep every epoch's weights from this one on and try their average (stochastic weight averaging) against the best single epoch on val (0: off).") int averageFromEpoch;
  @Option(names = "--blend-with", paramLabel = "DIR", description = "At the end, blend another model's weights into this run's selected ones (the same network and normalisation; best a run fine-tuned from the same starting weights), batch-norm statistics measured again; the blend is the model.") Path blendWith;
  @Option(names = "--blend-share", defaultValue = "0.5", paramLabel = "SHARE", description = "The blend's share of --blend-with's weights, between 0 and 1 (default 0.5: the mean of the two).") double blendShare;
  @Option(names = "--seed", defaultValue = "42") long seed;
  @Option(names = "--max-per-grade", defaultValue = "0", description = "Use at most this many training images per grade (0: all).") int maxPerGrade;
  @Option(names = "--max-val-per-grade", defaultValue = "0", description = "Use at most this many val images per grade (0: all).") int maxValPerGrade;
  @Option(names = "--network", description = "resnet18-half (the default and the bundled knee model's), small, or tiny (smoke tests); default: the task file's.") String network;
  @Option(names = "--no-resume", description = "Start afresh even if OUT holds a checkpoint.") boolean noResume;

  /**
   * Epochs and batch size of a run. A cohort of a few hundred images gets few optimisation steps per epoch, so when
   * the user gives neither, a manifest run takes enough epochs for about {@link #TARGET_STEPS} steps (14 to 60) and,
   * under 1,000 images, batches of 16 (the segmentation default is 8); the knee's folder recipe stays 14 x 32.
   */
  record Schedule(int epochs, int batch) {
    static final int TARGET_STEPS = 1200;
  }

  /** How many manifest images training will see: the split is seeded, so it is the trainer's own. */
  private int trainedImages(GradingTask task) throws java.io.IOException {
    return TrainingData.load(new TrainingData.Source(null, trainManifest, valManifest, heldOut, seed), task,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).train().size();
  }

  private Schedule schedule(int trained, int largeBatch) {
    int chosenBatch = batch != null ? batch
        : Math.max(1, Math.min(trained, trained < 1000 ? Math.min(16, largeBatch) : largeBatch));
    if (epochs != null) {
      return new Schedule(epochs, chosenBatch);
    }
    int stepsPerEpoch = Math.max(1, trained / chosenBatch);
    int chosen = Math.max(14, Math.min(60, (int) Math.ceil(Schedule.TARGET_STEPS / (double) stepsPerEpoch)));
    System.err.printf("schedule: %d epochs of batch %d (%d steps per epoch; --epochs and --batch override)%n", chosen,
        chosenBatch, stepsPerEpoch);
    return new Schedule(chosen, chosenBatch);
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }

  /** A segmentation task: a U-Net on the manifest's images and masks. */
  private int trainSegmentation(GradingTask task) throws Exception {
    if (trainManifest == null) {
      throw new ParameterException(commandSpec.commandLine(), "a segmentation task trains from --train CSV (image and mask columns)");
    }
    Manifest train = Manifest.read(trainManifest, task.definition());
    Manifest val = valManifest == null ? null : Manifest.read(valManifest, task.definition());
    Schedule schedule = schedule(val == null ? (int) Math.floor(train.rows().size() * (1 - heldOut)) - 1
        : train.rows().size(), 8);
    SegmentationMetrics metrics = ManifestSegmentation.train(task, train, val, heldOut, seed,
        SegmentationConfig.builder().optEpochs(schedule.epochs()).optBatchSize(schedule.batch()).optLearningRate(learningRate).optSeed(seed),
        out, System.err);
    commandSpec.commandLine().getOut().printf("model: %s%nval mean Dice %.4f, per class %s%n", out, metrics.meanDice(),
        metrics.dicePerClass());
    return 0;
  }

  @Override
  public Integer call() throws Exception {
    if ((data == null) == (trainManifest == null)) {
      throw new ParameterException(commandSpec.commandLine(),
          "give either --data DIR (train/ and val/ folders) or --train CSV [--val CSV]");
    }
    if (valManifest != null && trainManifest == null) {
      throw new ParameterException(commandSpec.commandLine(), "--val CSV goes with --train CSV");
    }
    GradingTask task = taskOptions.task();
    if (task.primary().kind() == TaskDefinition.Kind.SEGMENTATION) {
      return trainSegmentation(task);
    }
    Schedule schedule = trainManifest == null ? new Schedule(or(epochs, 14), or(batch, 32))
        : schedule(trainedImages(task), 32);
    NetworkSpec spec = NetworkSpec.preset(network != null ? network : task.definition().network(), task.headUnits())
        .withInputChannels(task.inputChannels());
    TrainingConfig config = TrainingConfig.builder().setTask(task.id()).setData(data)
        .setManifests(trainManifest, valManifest).optHeldOutFraction(heldOut).optTaskFile(taskOptions.taskFile)
        .setOutput(out).optNetwork(spec)
        .optEpochs(schedule.epochs()).optBatchSize(schedule.batch()).optLearningRate(learningRate).optWeightDecay(weightDecay)
        .optEmdWeight(emdWeight).optClassWeightPower(classWeightPower)
        .optAcquisitionAugmentation(acquisitionAugmentation).optArchiveAugmentation(archiveAugmentation).optNormalisation(normalisation)
        .optTeachers(teachers).optDistillWeight(distillWeight)
        .optNeighbourSmoothing(neighbourSmoothing).optMixup(mixup).optConsistency(consistency).optInitialWeights(initialWeights)
        .optAverageFromEpoch(averageFromEpoch).optBlendWith(blendWith, blendShare).optSeed(seed)
        .optMaxPerGrade(maxPerGrade).optMaxValPerGrade(maxValPerGrade).build();
    TrainingResult result = new GradingTrainer(task, config, System.err).train(!noResume);
    commandSpec.commandLine().getOut().printf("model: %s%nval accuracy %.4f, QWK %.4f, MAE %.4f%n", result.modelDir(),
        result.bestValMetrics().accuracy(), result.bestValMetrics().quadraticWeightedKappa(),
        result.bestValMetrics().meanAbsoluteError());
    return 0;
  }
}
