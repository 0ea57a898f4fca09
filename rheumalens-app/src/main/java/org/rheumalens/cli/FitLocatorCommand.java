package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rheumalens.locate.KneeTemplate;
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
 * {@code rheumalens fit-locator}: fits the whole-radiograph knee locator's template (the mean of DATA/train's crops)
 * into a model folder. Training does this itself; this command adds it to a model trained before the locator existed.
 */
@Command(name = "fit-locator", mixinStandardHelpOptions = true,
    description = "Fit the knee locator's template on DATA/train and store it in the model folder.")
final class FitLocatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--data", required = true, description = "Folder with train/ (grade sub-folders).") Path data;
  @Option(names = "--model", description = "Model folder to update (default: the bundled models/<task>).") Path model;

  @Override
  public Integer call() throws Exception {
    GradingTask gradingTask = Tasks.byId(task);
    Path modelDir = model != null ? model : ModelLocation.bundled(task);
    PreparedImages train = PreparedImages.load(gradingTask, LabelledImage.scanFolders(data.resolve("train"), gradingTask.classes()));
    GradingTrainer.fitKneeTemplate(train).write(modelDir);
    spec.commandLine().getOut().printf("knee template (%dx%d, mean of %d training crops) written to %s%n",
        KneeTemplate.SIZE, KneeTemplate.SIZE, train.count(), modelDir.resolve(KneeTemplate.FILE));
    return 0;
  }
}
