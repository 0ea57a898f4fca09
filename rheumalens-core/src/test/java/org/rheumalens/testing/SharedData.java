package org.rheumalens.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** The shared test data (never copied into the repository): $RHEUMALENS_SHARED, else ../shared beside the checkout. */
public final class SharedData {

  private SharedData() {}

  /** A folder under shared/data; skips the calling test when it is absent. */
  public static Path data(String folder) {
    Path dir = root().resolve("data").resolve(folder);
    Assumptions.assumeTrue(
        Files.isDirectory(dir), "shared test data not found at " + dir + "; set RHEUMALENS_SHARED to the shared folder");
    return dir;
  }

  /** A folder under shared/data, for a test that also runs (with less) without it. */
  public static Optional<Path> optional(String folder) {
    Path dir = root().resolve("data").resolve(folder);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  private static Path root() {
    String env = System.getenv("RHEUMALENS_SHARED");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of("").toAbsolutePath().getParent().resolve("../shared").normalize();
  }

  /** The knee KL crops (train/ and val/). */
  public static Path kneeKl() {
    return data("knee-kl");
  }

  public static Path dicom(String relative) {
    return data("dicom").resolve(relative);
  }
}
