package org.rheumalens.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks RheumaLens knows: built-in task files (resources {@code tasks/<id>.json}) and files a user writes
 * ({@code --task-file}).
 */
public final class Tasks {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  private static final List<String> BUILT_IN_IDS = List.of("knee-kl");
  private static final Map<String, GradingTask> BUILT_IN = new LinkedHashMap<>();

  static {
    for (String id : BUILT_IN_IDS) {
      BUILT_IN.put(id, TaskBuilder.build(readBuiltIn(id)));
    }
  }

  /** Kellgren-Lawrence grade 0-4 of a knee joint crop (OAI-derived, Chen 2018). */
  public static final GradingTask KNEE_KL = BUILT_IN.get("knee-kl");

  private Tasks() {}

  /** The built-in tasks, in a stable order. */
  public static List<GradingTask> builtIn() {
    return List.copyOf(BUILT_IN.values());
  }

  /** A built-in task by id; unknown ids are refused, naming the known ones and the way to bring one's own. */
  public static GradingTask byId(String id) {
    GradingTask task = BUILT_IN.get(id);
    if (task == null) {
      throw new IllegalArgumentException("unknown task '" + id + "'; built in: " + BUILT_IN.keySet()
          + " (or describe your own in a JSON task file and pass --task-file FILE)");
    }
    return task;
  }

  /** A task from a user's task file; every problem is reported with the file's name. */
  public static GradingTask fromFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("task file " + file + ": not found");
    }
    TaskDefinition definition;
    try {
      definition = JSON.readValue(file.toFile(), TaskDefinition.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IOException("task file " + file + ": unknown field \"" + e.getPropertyName() + "\" (known: "
          + e.getKnownPropertyIds() + ")", e);
    } catch (JsonProcessingException e) {
      throw new IOException("task file " + file + ": not valid task JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ")", e);
    }
    if (definition == null) {
      throw new IOException("task file " + file + ": empty");
    }
    try {
      return TaskBuilder.build(definition);
    } catch (IllegalArgumentException e) {
      throw new IOException("task file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The task a model was trained for: the definition its card keeps or, for cards from before task files, the
   * built-in task of that id.
   */
  public static GradingTask of(TaskDefinition definition, String taskId) {
    return definition != null ? TaskBuilder.build(definition) : byId(taskId);
  }

  /** {@code --task-file} when given, else the built-in {@code --task}. */
  public static GradingTask resolve(String taskId, Path taskFile) throws IOException {
    return taskFile != null ? fromFile(taskFile) : byId(taskId);
  }

  private static TaskDefinition readBuiltIn(String id) {
    try (InputStream in = Tasks.class.getResourceAsStream("/tasks/" + id + ".json")) {
      if (in == null) {
        throw new IllegalStateException("built-in task file tasks/" + id + ".json is missing from the class path");
      }
      return JSON.readValue(in, TaskDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in task file tasks/" + id + ".json: " + e.getMessage(), e);
    }
  }
}
