package org.rheumalens.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared test data (never copied into the repository): $RHEUMALENS_SHARED, else ../shared beside the checkout. */
public final class SharedData {

  private SharedData() {}

  /** A folder under shared/data; skips the calling test when it is absent. */
  public static Path data(String folder) {
    String env = System.getenv("RHEUMALENS_SHARED");
    Path root =
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of("").toAbsolutePath().getParent().resolve("../shared").normalize();
    Path dir = root.resolve("data").resolve(folder);
    Assumptions.assumeTrue(
        Files.isDirectory(dir), "shared test data not found at " + dir + "; set RHEUMALENS_SHARED to the shared folder");
    return dir;
  }

  /** The knee KL crops (train/ and val/). */
  public static Path kneeKl() {
    return data("knee-kl");
  }

  public static Path dicom(String relative) {
    return data("dicom").resolve(relative);
  }
}
