package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.ml.TrainingResult;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rheumalens train}: trains a grading model on train/, selects on val/, checkpoints and resumes. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a grading model (train/ to fit, val/ to select).")
final class TrainCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Option(names = "--task", defaultValue = "knee-kl", description = "Task id (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--data", required = true, description = "Folder with train/ and val/, each with grade sub-folders 0..4.")
  Path data;

  @Option(names = "--out", required = true, description = "Output folder for the model, its card and checkpoints.")
  Path out;

  @Option(names = "--epochs", defaultValue = "14") int epochs;
  @Option(names = "--batch", defaultValue = "32") int batch;
  @Option(names = "--lr", defaultValue = "0.0015", description = "Peak learning rate.") float learningRate;
  @Option(names = "--weight-decay", defaultValue = "0.0001") float weightDecay;
  @Option(names = "--emd-weight", defaultValue = "1.0", description = "Weight of the ordinal (EMD) loss term.") float emdWeight;
  @Option(names = "--class-weight-power", defaultValue = "0.5", description = "Class weights = frequency^-power.") double classWeightPower;
  @Option(names = "--acquisition-augmentation", description = "Also augment acquisition and storage (raw look, gamma, noise, 8-12 bits) so grades do not depend on contrast processing.") boolean acquisitionAugmentation;
  @Option(names = "--normalisation", description = "The task normalisation to train with (knee-kl: clahe, the default, or flat-equalised); the model card keeps it and inference uses it.") String normalisation;
  @Option(names = "--teacher", description = "Distil: a model folder whose mirrored-averaged probabilities become soft targets (repeat for an ensemble).") List<Path> teachers = new ArrayList<>();
  @Option(names = "--distil-weight", defaultValue = "0.7", description = "Share of the teachers' distribution in each target (rest: the image's grade).") double distillWeight;
  @Option(names = "--init-from", description = "Start from this model folder's weights (same network) instead of random ones.") Path initialWeights;
  @Option(names = "--average-from-epoch", defaultValue = "0", description = "Keep every epoch's weights from this one on and try their average (stochastic weight averaging) against the best single epoch on val (0: off).") int averageFromEpoch;
  @Option(names = "--seed", defaultValue = "42") long seed;
  @Option(names = "--max-per-grade", defaultValue = "0", description = "Use at most this many training images per grade (0: all).") int maxPerGrade;
  @Option(names = "--max-val-per-grade", defaultValue = "0", description = "Use at most this many val images per grade (0: all).") int maxValPerGrade;
  @Option(names = "--network", defaultValue = "resnet18-half", description = "resnet18-half (bundled) or tiny (smoke tests).") String network;
  @Option(names = "--no-resume", description = "Start afresh even if OUT holds a checkpoint.") boolean noResume;

  @Override
  public Integer call() throws Exception {
    int classes = Tasks.byId(task).classes();
    NetworkSpec spec = switch (network) {
      case "resnet18-half" -> NetworkSpec.resnet18Half(classes);
      case "tiny" -> NetworkSpec.tiny(classes);
      default -> throw new IllegalArgumentException("unknown --network " + network + " (resnet18-half, tiny)");
    };
    TrainingConfig config = TrainingConfig.builder().setTask(task).setData(data).setOutput(out).optNetwork(spec)
        .optEpochs(epochs).optBatchSize(batch).optLearningRate(learningRate).optWeightDecay(weightDecay)
        .optEmdWeight(emdWeight).optClassWeightPower(classWeightPower)
        .optAcquisitionAugmentation(acquisitionAugmentation).optNormalisation(normalisation)
        .optTeachers(teachers).optDistillWeight(distillWeight).optInitialWeights(initialWeights)
        .optAverageFromEpoch(averageFromEpoch).optSeed(seed)
        .optMaxPerGrade(maxPerGrade).optMaxValPerGrade(maxValPerGrade).build();
    TrainingResult result = new GradingTrainer(config, System.err).train(!noResume);
    commandSpec.commandLine().getOut().printf("model: %s%nval accuracy %.4f, QWK %.4f, MAE %.4f%n", result.modelDir(),
        result.bestValMetrics().accuracy(), result.bestValMetrics().quadraticWeightedKappa(),
        result.bestValMetrics().meanAbsoluteError());
    return 0;
  }
}
