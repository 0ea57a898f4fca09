package org.rheumalens.server.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.ml.Grader;
import org.rheumalens.tasks.GradingTask;

/**
 * The models a server hosts, one per task: the grader of each task id, and the default task (the first model's), which
 * images without a task of their own belong to. Closing it closes every model.
 */
public final class TaskModels implements AutoCloseable {

  private final Map<String, Grader> graders;
  private final String defaultTaskId;

  private TaskModels(Map<String, Grader> graders) {
    this.graders = graders;
    this.defaultTaskId = graders.keySet().iterator().next();
  }

  /** Opens the model in each folder; the first one's task is the default. Two models of one task are refused. */
  public static TaskModels open(List<Path> modelDirs) throws IOException {
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("no model to serve: give at least one model folder");
    }
    Map<String, Grader> graders = new LinkedHashMap<>();
    Map<String, Path> folders = new LinkedHashMap<>();
    try {
      for (Path dir : modelDirs) {
        Grader grader = Grader.open(dir);
        String taskId = grader.task().id();
        if (graders.containsKey(taskId)) {
          grader.close();
          throw new IllegalArgumentException("models " + folders.get(taskId) + " and " + dir + " both grade task '"
              + taskId + "'; serve one model per task");
        }
        graders.put(taskId, grader);
        folders.put(taskId, dir);
      }
    } catch (IOException | RuntimeException e) {
      graders.values().forEach(Grader::close);
      throw e;
    }
    return new TaskModels(graders);
  }

  /** The model of a task id; unknown ids are refused with the ids this server serves. */
  public Grader grader(String taskId) {
    Grader grader = graders.get(taskId);
    if (grader == null) {
      throw new UnknownTaskException(taskId, List.copyOf(graders.keySet()));
    }
    return grader;
  }

  /** The task of an id this server serves (see {@link #grader}); null means the default task. */
  public GradingTask task(String taskId) {
    return grader(taskId == null ? defaultTaskId : taskId).task();
  }

  public GradingTask defaultTask() {
    return task(defaultTaskId);
  }

  /** Every served task, the default first. */
  public List<GradingTask> tasks() {
    List<GradingTask> tasks = new ArrayList<>();
    graders.values().forEach(g -> tasks.add(g.task()));
    return tasks;
  }

  @Override
  public void close() {
    graders.values().forEach(Grader::close);
  }

  /** A task id this server has no model for. */
  public static final class UnknownTaskException extends IllegalArgumentException {
    public UnknownTaskException(String taskId, List<String> served) {
      super("task '" + taskId + "' is not served here; served: " + served
          + " (start the server with a --model folder for each task)");
    }
  }
}
