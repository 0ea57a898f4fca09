package org.rheumalens.ml;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where bundled models live: {@code models/<task>} under the RheumaLens home (the launcher sets rheumalens.home). */
public final class ModelLocation {

  private ModelLocation() {}

  public static Path home() {
    String home = System.getProperty("rheumalens.home");
    if (home == null) {
      home = System.getenv().getOrDefault("RHEUMALENS_HOME", ".");
    }
    return Path.of(home).toAbsolutePath().normalize();
  }

  /** The bundled model for a task, or an explanation of where it was expected. */
  public static Path bundled(String taskId) throws java.io.IOException {
    Path dir = home().resolve("models").resolve(taskId);
    if (!Files.isRegularFile(dir.resolve(ModelCard.FILE))) {
      throw new java.io.IOException("no bundled model for task " + taskId + " at " + dir + " (pass --model DIR)");
    }
    return dir;
  }
}
