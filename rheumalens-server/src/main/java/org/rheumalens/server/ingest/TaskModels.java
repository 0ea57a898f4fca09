package org.rheumalens.server.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rheumalens.ml.Grader;
import org.rheumalens.segmentation.ManifestSegmentation;
import org.rheumalens.segmentation.Segmenter;
import org.rheumalens.tasks.GradingTask;

/**
 * The models a server hosts, one per task: a grader (grades, scores) or a segmenter (outlines and their sizes) for
 * each task id, and the default task (the first model's), which images without a task of their own belong to.
 * Closing it closes every model.
 */
public final class TaskModels implements AutoCloseable {

  private final Map<String, Grader> graders;
  private final Map<String, Segmenter> segmenters;
  private final Map<String, GradingTask> tasks;
  private final String defaultTaskId;

  private TaskModels(Map<String, Grader> graders, Map<String, Segmenter> segmenters, Map<String, GradingTask> tasks) {
    this.graders = graders;
    this.segmenters = segmenters;
    this.tasks = tasks;
    this.defaultTaskId = tasks.keySet().iterator().next();
  }

  /** Opens the model in each folder; the first one's task is the default. Two models of one task are refused. */
  public static TaskModels open(List<Path> modelDirs) throws IOException {
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("no model to serve: give at least one model folder");
    }
    Map<String, Grader> graders = new LinkedHashMap<>();
    Map<String, Segmenter> segmenters = new LinkedHashMap<>();
    Map<String, GradingTask> tasks = new LinkedHashMap<>();
    Map<String, Path> folders = new LinkedHashMap<>();
    try {
      for (Path dir : modelDirs) {
        AutoCloseable model;
        GradingTask task;
        if (ManifestSegmentation.isSegmentationModel(dir)) {
          Segmenter segmenter = Segmenter.open(dir);
          model = segmenter;
          task = segmenter.task();
        } else {
          Grader grader = Grader.open(dir);
          model = grader;
          task = grader.task();
        }
        if (tasks.containsKey(task.id())) {
          closeQuietly(model);
          throw new IllegalArgumentException("models " + folders.get(task.id()) + " and " + dir + " both serve task '"
              + task.id() + "'; serve one model per task");
        }
        if (model instanceof Segmenter segmenter) {
          segmenters.put(task.id(), segmenter);
        } else {
          graders.put(task.id(), (Grader) model);
        }
        tasks.put(task.id(), task);
        folders.put(task.id(), dir);
      }
    } catch (IOException | RuntimeException e) {
      graders.values().forEach(Grader::close);
      segmenters.values().forEach(Segmenter::close);
      throw e;
    }
    return new TaskModels(graders, segmenters, tasks);
  }

  private static void closeQuietly(AutoCloseable model) {
    try {
      model.close();
    } catch (Exception e) {
      // Already refusing the configuration; the refusal is what the user needs to see.
    }
  }

  /** The grading model of a task id; unknown ids are refused with the ids this server serves. */
  public Grader grader(String taskId) {
    Grader grader = graders.get(checked(taskId));
    if (grader == null) {
      throw new IllegalStateException("task '" + taskId + "' is served by a segmentation model, not a grader");
    }
    return grader;
  }

  /** The segmentation model of a task id, if the task outlines structures rather than grading them. */
  public Optional<Segmenter> segmenter(String taskId) {
    return Optional.ofNullable(segmenters.get(checked(taskId)));
  }

  /** Whether a served task outlines structures (a segmentation model) rather than grading them. */
  public boolean segments(String taskId) {
    return segmenters.containsKey(checked(taskId));
  }

  /** The task of an id this server serves (unknown ids are refused); null means the default task. */
  public GradingTask task(String taskId) {
    return tasks.get(checked(taskId == null ? defaultTaskId : taskId));
  }

  public GradingTask defaultTask() {
    return task(defaultTaskId);
  }

  /** Every served task, the default first. */
  public List<GradingTask> tasks() {
    return new ArrayList<>(tasks.values());
  }

  /** The name and version of the model serving a task, for the start-up line. */
  public String modelOf(String taskId) {
    return segmenter(taskId).map(s -> s.card().name() + " " + s.card().version() + " (segmentation)")
        .orElseGet(() -> grader(taskId).model().card().name() + " " + grader(taskId).model().card().version());
  }

  private String checked(String taskId) {
    if (!tasks.containsKey(taskId)) {
      throw new UnknownTaskException(taskId, List.copyOf(tasks.keySet()));
    }
    return taskId;
  }

  @Override
  public void close() {
    graders.values().forEach(Grader::close);
    segmenters.values().forEach(Segmenter::close);
  }

  /** A task id this server has no model for. */
  public static final class UnknownTaskException extends IllegalArgumentException {
    public UnknownTaskException(String taskId, List<String> served) {
      super("task '" + taskId + "' is not served here; served: " + served
          + " (start the server with a --model folder for each task)");
    }
  }
}
