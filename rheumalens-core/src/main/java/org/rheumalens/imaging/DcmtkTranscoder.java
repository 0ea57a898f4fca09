package org.rheumalens.imaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Decompresses what PixelMed cannot decode (JPEG-LS, 12-bit lossy JPEG) into an Explicit VR Little Endian copy with
 * dcmtk's command-line tools, when they are installed.
 */
final class DcmtkTranscoder {

  private static final long TIMEOUT_SECONDS = 60;

  private final List<Path> searchPath;

  DcmtkTranscoder(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** Finds dcmtk through the PATH environment variable. */
  static DcmtkTranscoder fromPath() {
    String path = System.getenv("PATH");
    if (path == null || path.isBlank()) {
      return disabled();
    }
    return new DcmtkTranscoder(
        Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList());
  }

  /** Never transcodes: unsupported transfer syntaxes fail with their message. */
  static DcmtkTranscoder disabled() {
    return new DcmtkTranscoder(List.of());
  }

  /** The dcmtk tool that decompresses a transfer syntax, whether or not it is installed. */
  static Optional<String> toolFor(String transferSyntaxUid) {
    return switch (transferSyntaxUid) {
      case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> Optional.of("dcmdjpls");
      case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" ->
          Optional.of("dcmdjpeg");
      case "1.2.840.10008.1.2.5" -> Optional.of("dcmdrle");
      default -> Optional.empty();
    };
  }

  /** The installed executable of a tool, if any. */
  Optional<Path> find(String tool) {
    return searchPath.stream().map(dir -> dir.resolve(tool)).filter(Files::isExecutable).findFirst();
  }

  /** Runs the tool on a file; the copy lives in a temporary folder that closing the result deletes. */
  Transcoded transcode(String source, Path file, Path tool) throws ImageReadException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rheumalens-dcmtk");
      Path out = dir.resolve("decompressed.dcm");
      Path log = dir.resolve("dcmtk.log");
      // Absolute paths, so that a file named "-x.dcm" cannot pass for an option.
      Process process =
          new ProcessBuilder(tool.toString(), "+te", file.toAbsolutePath().toString(), out.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ImageReadException(source, tool.getFileName() + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(out)) {
        throw new ImageReadException(
            source, tool.getFileName() + " failed (exit " + process.exitValue() + "): " + tail(log));
      }
      Transcoded result = new Transcoded(out);
      dir = null;
      return result;
    } catch (IOException e) {
      throw new ImageReadException(source, "cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageReadException(source, "interrupted while " + tool.getFileName() + " was running", e);
    } finally {
      if (dir != null) {
        deleteFolder(dir);
      }
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8).strip();
    return text.length() <= 400 ? text : "..." + text.substring(text.length() - 400);
  }

  private static void deleteFolder(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary folder is not worth failing a read for; the OS cleans its temp dir.
    }
  }

  /** A decompressed copy of a DICOM file; closing it deletes the copy. */
  record Transcoded(Path file) implements AutoCloseable {
    @Override
    public void close() {
      deleteFolder(file.getParent());
    }
  }
}
