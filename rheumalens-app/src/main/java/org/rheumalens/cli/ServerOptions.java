package org.rheumalens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.segmentation.ManifestSegmentation;
import org.rheumalens.server.ServerConfig;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the review app keeps its data, which database it uses and which models it serves; shared by serve and import. */
final class ServerOptions {

  @Mixin StoreOptions store = new StoreOptions();
  @Option(names = "--model", paramLabel = "DIR",
      description = "Model folder (grading or segmentation), repeatable: one model per task, the first one's task is the default"
          + " (default: the bundled models/knee-kl).")
  List<Path> models = new ArrayList<>();

  ServerConfig config(int port, String adminPassword, long aiDelayMs) throws IOException {
    return new ServerConfig(store.data, store.dbUrl, store.dbUser, store.dbPassword, port, modelDirs(), adminPassword, aiDelayMs);
  }

  private List<Path> modelDirs() throws IOException {
    return models.isEmpty() ? List.of(ModelLocation.bundled(TaskOptions.DEFAULT_TASK)) : models;
  }

  /**
   * The task {@code taskId} as the served models know it (a model's card keeps its task, so tasks from task files are
   * known too), else the built-in task of that id.
   */
  GradingTask task(String taskId) throws IOException {
    for (Path dir : models) {
      // A segmentation model keeps its task beside its weights, a grading model in its card.
      GradingTask task = ManifestSegmentation.isSegmentationModel(dir) ? ManifestSegmentation.task(dir)
          : ModelCard.read(dir).gradingTask();
      if (task.id().equals(taskId)) {
        return task;
      }
    }
    return Tasks.byId(taskId);
  }
}
