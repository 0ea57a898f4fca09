package org.rheumalens.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.TrainingData;
import org.rheumalens.ml.OversightFitter;
import org.rheumalens.ml.PolicySearch;
import org.rheumalens.ml.PreparedImages;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.tasks.GradingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rheumalens calibrate}: fits a trained model's oversight (temperature scaling, OOD gate, image-quality and
 * triage limits) on DATA/train and DATA/val and stores it in the model folder. Training does this itself; this command
 * redoes it for an existing model, e.g. with another triage target, or after choosing its inference policy again
 * ({@code --choose-policy}).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Fit calibration, the out-of-distribution gate and triage limits of a model on DATA/train and DATA/val (or manifests).")
final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin TaskOptions taskOptions;
  @Option(names = "--data", description = "Folder with train/ and val/, each with class sub-folders.") Path data;
  @Option(names = "--train", paramLabel = "CSV", description = "Training manifest (instead of --data).") Path trainManifest;
  @Option(names = "--val", paramLabel = "CSV", description = "Selection manifest (default: the share of --train the "
      + "model was selected on, by the same seed).") Path valManifest;
  @Option(names = "--held-out", defaultValue = "0.15") double heldOut;
  @Option(names = "--seed", defaultValue = "42", description = "Seed of the held-out split (the model's training seed).") long seed;
  @Option(names = "--model", description = "Model folder to update (default: the bundled model of --task).") Path model;
  @Option(names = "--target-accuracy", defaultValue = "0.90",
      description = "Val accuracy auto-accepted grades must reach (default ${DEFAULT-VALUE}).") double targetAccuracy;
  @Option(names = "--choose-policy",
      description = "First choose the inference policy (decision rule, mirrored averaging) again on DATA/val.") boolean choosePolicy;

  @Override
  public Integer call() throws Exception {
    if ((data == null) == (trainManifest == null)) {
      throw new ParameterException(spec.commandLine(), "give either --data DIR or --train CSV [--val CSV]");
    }
    Path modelDir = taskOptions.modelFor(model);
    GradingTask gradingTask = ModelCard.read(modelDir).gradingTask();
    PrintStream log = System.err;
    log.printf("reading %s ...%n", data != null ? data : trainManifest);
    TrainingData source = TrainingData.load(
        new TrainingData.Source(data, trainManifest, valManifest, heldOut, seed), gradingTask, log);
    PreparedImages train = PreparedImages.load(gradingTask, source.train());
    PreparedImages val = PreparedImages.load(gradingTask, source.val());
    if (choosePolicy) {
      PolicySearch.Outcome outcome = PolicySearch.rechoose(modelDir, gradingTask, val);
      log.printf(Locale.ROOT, "inference policy: %s (val accuracy %.4f, QWK %.4f)%n", outcome.policy().describe(),
          outcome.metrics().accuracy(), outcome.metrics().quadraticWeightedKappa());
    }
    OversightSettings settings = new OversightFitter(gradingTask, targetAccuracy, log).fit(modelDir, train, val);
    spec.commandLine().getOut().printf("oversight written to %s (temperature %.3f, OOD threshold %.1f, auto-accept %.1f%% of val)%n", modelDir,
        settings.calibration().temperature(), settings.ood().threshold(), 100 * settings.triage().valCoverage());
    return 0;
  }
}
