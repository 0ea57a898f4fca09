package org.rheumalens.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The class paths the build writes to {@code rheumalens-spark/target/launch}: Spark's jars and the application's (this
 * module's jar first), for starting Spark JVMs the way the launcher does.
 */
public record LaunchDir(Path dir) {

  public static final String PROPERTY = "rheumalens.launch.dir";

  /** The folder the launcher (or the test runner) named; a clear error where the module was not built. */
  public static LaunchDir fromProperty() throws IOException {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || !Files.isRegularFile(Path.of(dir, "spark.classpath"))) {
      throw new IOException("no Spark class paths at " + dir + ": build rheumalens-spark first (mvn install)");
    }
    return new LaunchDir(Path.of(dir));
  }

  /** Spark and what only Spark uses ({@code provided}: a cluster brings them). */
  public List<Path> sparkJars() throws IOException {
    return read("spark.classpath");
  }

  /** What executors must be sent: this module's jar, core, DJL and its native library, PyTorch, PixelMed ... */
  public List<Path> appJars() throws IOException {
    List<Path> jars = new ArrayList<>();
    jars.add(dir.getParent().resolve("rheumalens-spark.jar"));
    jars.addAll(read("app.classpath"));
    return jars;
  }

  /** {@code java} with Spark's module openings for Java 17 and the given heap. */
  public static List<String> javaCommand(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    return command;
  }

  static String classPath(List<Path> jars) {
    return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
  }

  private List<Path> read(String file) throws IOException {
    String text = Files.readString(dir.resolve(file)).strip();
    return text.isEmpty() ? List.of() : Arrays.stream(text.split(File.pathSeparator)).map(Path::of).toList();
  }
}
