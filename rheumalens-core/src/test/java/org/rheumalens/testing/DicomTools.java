package org.rheumalens.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's DICOM tools as independent judges: dcmtk ({@code dsrdump}, {@code dcmdump}) and dicom3tools ({@code dciodvfy}). */
public final class DicomTools {

  /** A tool's exit code and its standard output and error together. */
  public record Run(int exitCode, String output) {

    /** Lines that report an error (dciodvfy prints "Error - ...", dcmtk "E: ..."). */
    public List<String> errors() {
      return output.lines().filter(l -> l.startsWith("Error") || l.startsWith("E: ") || l.startsWith("F: ")).toList();
    }
  }

  private DicomTools() {}

  /** Runs {@code tool} with {@code args}; skips the calling test when the tool is not installed. */
  public static Run run(String tool, String... args) throws IOException, InterruptedException {
    Assumptions.assumeTrue(onPath(tool), tool + " is not installed (./rheumalens test installs dcmtk and dicom3tools)");
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(tool + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public static Run run(String tool, Path file, String... options) throws IOException, InterruptedException {
    String[] args = java.util.Arrays.copyOf(options, options.length + 1);
    args[options.length] = file.toString();
    return run(tool, args);
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
