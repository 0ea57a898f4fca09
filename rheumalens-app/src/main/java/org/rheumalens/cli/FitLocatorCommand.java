package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.locate.KneeBoxRegressor;
import org.rheumalens.locate.KneeBoxTraining;
import org.rheumalens.locate.KneeTemplate;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.ml.PreparedImages;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rheumalens fit-locator}: fits the whole-radiograph knee locator into a model folder: its template (the mean
 * of DATA/train's crops; training does this itself) and its box regressor (a small CNN trained on the same crops,
 * reported on DATA/val).
 */
@Command(name = "fit-locator", mixinStandardHelpOptions = true,
    description = "Fit the knee locator's template on DATA/train and store it in the model folder.")
final class FitLocatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--data", required = true, description = "Folder with train/ (grade sub-folders).") Path data;
  @Option(names = "--model", description = "Model folder to update (default: the bundled models/<task>).") Path model;
  @Option(names = "--regressor-epochs", defaultValue = "24", description = "Epochs of the knee box regressor (0: template only).") int regressorEpochs;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the box regressor's initialisation and samples.") long seed;

  @Override
  public Integer call() throws Exception {
    GradingTask gradingTask = Tasks.byId(task);
    Path modelDir = model != null ? model : ModelLocation.bundled(task);
    if (!java.nio.file.Files.isDirectory(modelDir)) {
      spec.commandLine().getErr().println("fit-locator: model folder " + modelDir + " does not exist (train a model first)");
      return 2;
    }
    PreparedImages train = PreparedImages.load(gradingTask, LabelledImage.scanFolders(data.resolve("train"), gradingTask.classes()));
    GradingTrainer.fitKneeTemplate(train).write(modelDir);
    spec.commandLine().getOut().printf("knee template (%dx%d, mean of %d training crops) written to %s%n",
        KneeTemplate.SIZE, KneeTemplate.SIZE, train.count(), modelDir.resolve(KneeTemplate.FILE));
    if (regressorEpochs > 0) {
      PreparedImages val = PreparedImages.load(gradingTask, LabelledImage.scanFolders(data.resolve("val"), gradingTask.classes()));
      KneeBoxTraining.Settings settings = new KneeBoxTraining.Settings(regressorEpochs,
          KneeBoxTraining.Settings.standard().batchSize(), KneeBoxTraining.Settings.standard().learningRate(), seed);
      try (KneeBoxRegressor regressor = KneeBoxTraining.fit(planes(train), planes(val), settings, modelDir, System.err)) {
        spec.commandLine().getOut().printf("knee box regressor written to %s (report: %s)%n", modelDir,
            modelDir.resolve(KneeBoxTraining.REPORT_FILE));
      }
    }
    return 0;
  }

  private static List<Plane> planes(PreparedImages images) {
    List<Plane> out = new ArrayList<>(images.count());
    for (int i = 0; i < images.count(); i++) {
      out.add(images.plane(i));
    }
    return out;
  }
}
