package org.rheumalens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.rheumalens.ml.NetworkSpec;

/**
 * Runs the same network in PyTorch (the {@code bench/torch_bench.py} resource) as a reference for the Java numbers.
 * Never fails the bench: a missing interpreter, a missing torch or a crashed script come back as "unavailable".
 */
public final class TorchBench {

  static final String SCRIPT = "/bench/torch_bench.py";
  // Debian's python3-torch lives in the system interpreter; a pyenv python3 earlier on PATH usually lacks it.
  private static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROBE_SECONDS = 120;
  private static final long RUN_MINUTES = 30;

  private final PrintStream log;

  public TorchBench(PrintStream log) {
    this.log = log;
  }

  /** Times {@code spec} at {@code threads} intra-op threads with the same iteration counts as the Java side. */
  public TorchTimings measure(NetworkSpec spec, int inputSize, int threads, float learningRate, float weightDecay,
      BenchSettings settings) {
    Optional<String> python = findPythonWithTorch();
    if (python.isEmpty()) {
      return TorchTimings.unavailable("no python3 with torch (tried " + String.join(", ", INTERPRETERS)
          + "; on Debian: apt-get install python3-torch)");
    }
    Path script = null;
    try {
      script = extractScript();
      List<String> command = List.of(python.get(), script.toString(),
          "--spec", JSON.writeValueAsString(spec),
          "--input-size", Integer.toString(inputSize),
          "--threads", Integer.toString(threads),
          "--latency-warmup", Integer.toString(settings.latencyWarmup()),
          "--latency-runs", Integer.toString(settings.latencyRuns()),
          "--batch", Integer.toString(settings.batchSize()),
          "--train-warmup", Integer.toString(settings.trainWarmup()),
          "--train-steps", Integer.toString(settings.trainSteps()),
          "--lr", Float.toString(learningRate),
          "--weight-decay", Float.toString(weightDecay));
      log.println("bench: timing the PyTorch reference with " + python.get());
      Optional<String> output = run(command, RUN_MINUTES, TimeUnit.MINUTES, Redirect.INHERIT);
      if (output.isEmpty()) {
        return TorchTimings.unavailable("torch_bench.py failed or timed out (its errors went to stderr)");
      }
      JsonNode result = JSON.readTree(lastLine(output.get()));
      if (!result.path("model_ms_median").isNumber() || !result.path("train_step_ms_median").isNumber()) {
        return TorchTimings.unavailable("torch_bench.py printed no timings: " + result);
      }
      return new TorchTimings("measured", python.get(), result.path("torch_version").asText(),
          result.path("threads").asInt(), result.path("model_ms_median").asDouble(),
          result.path("train_step_ms_median").asDouble());
    } catch (IOException e) {
      return TorchTimings.unavailable("the PyTorch reference could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TorchTimings.unavailable("interrupted");
    } finally {
      deleteQuietly(script);
    }
  }

  private Optional<String> findPythonWithTorch() {
    for (String python : INTERPRETERS) {
      try {
        if (run(List.of(python, "-c", "import torch"), PROBE_SECONDS, TimeUnit.SECONDS, Redirect.DISCARD).isPresent()) {
          return Optional.of(python);
        }
      } catch (IOException e) {
        // not installed under this name: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Stdout of a successful run; empty on a non-zero exit or timeout. */
  private static Optional<String> run(List<String> command, long timeout, TimeUnit unit, Redirect errors)
      throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("rheumalens-bench", ".out");
    try {
      // Stdout to a file, not a pipe: a pipe nobody drains until exit could block the child and defeat the timeout.
      Process process = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(errors)
          .start();
      if (!process.waitFor(timeout, unit)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0 ? Optional.of(Files.readString(stdout)) : Optional.empty();
    } finally {
      Files.deleteIfExists(stdout);
    }
  }

  private static Path extractScript() throws IOException {
    try (InputStream in = TorchBench.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the jar");
      }
      Path file = Files.createTempFile("torch_bench", ".py");
      Files.write(file, in.readAllBytes());
      return file;
    }
  }

  private static String lastLine(String text) throws IOException {
    String[] lines = text.strip().split("\\R");
    if (lines[lines.length - 1].isBlank()) {
      throw new IOException("the PyTorch reference printed nothing");
    }
    return lines[lines.length - 1];
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
