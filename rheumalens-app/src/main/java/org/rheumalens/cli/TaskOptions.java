package org.rheumalens.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Option;

/** Which task a command works on: a built-in one by id, or one a user wrote down; shared by every command. */
final class TaskOptions {

  static final String DEFAULT_TASK = "knee-kl";

  @Option(names = "--task", paramLabel = "ID",
      description = "A built-in task (`rheumalens tasks` lists them; default: " + DEFAULT_TASK + ").")
  String taskId;

  @Option(names = "--task-file", paramLabel = "FILE",
      description = "A JSON task file declaring your own task (id, title, subject, modality, outputs).")
  Path taskFile;

  /** The task named on the command line (the knee when none is). */
  GradingTask task() throws IOException {
    return Tasks.resolve(taskId == null ? DEFAULT_TASK : taskId, taskFile);
  }

  /** Whether the user named a task at all. */
  boolean given() {
    return taskId != null || taskFile != null;
  }

  /**
   * The model folder to use: {@code model} when given (its card says the task; a task named as well must be the
   * same), else the bundled model of the named task.
   */
  Path modelFor(Path model) throws IOException {
    if (model == null) {
      return ModelLocation.bundled(task().id());
    }
    if (given()) {
      String named = task().id();
      String trained = ModelCard.read(model).taskId();
      if (!named.equals(trained)) {
        throw new IllegalArgumentException("model " + model + " was trained for task " + trained + ", not " + named);
      }
    }
    return model;
  }
}
