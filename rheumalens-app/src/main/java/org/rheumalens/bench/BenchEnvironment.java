package org.rheumalens.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.rheumalens.ml.ModelCard;

/**
 * Where and on what a bench ran, recorded with its numbers because timings mean nothing without the machine.
 *
 * @param cpu the CPU model ("model name" in /proc/cpuinfo), or the architecture where that is unknown
 * @param cores processors available to the JVM
 * @param engineThreads the engine's intra-op threads (the PyTorch reference is given the same)
 * @param loadAverage1m the one-minute load average when the bench started; high values mean noisy timings
 */
public record BenchEnvironment(
    String date,
    String cpu,
    int cores,
    Double loadAverage1m,
    String java,
    String djl,
    String engine,
    int engineThreads,
    String model,
    String modelVersion) {

  /** Reads the machine now; call after the model is loaded, so the engine is up. */
  public static BenchEnvironment capture(ModelCard card) {
    Engine engine = Engine.getInstance();
    int cores = Runtime.getRuntime().availableProcessors();
    // Only PyTorch reports its thread pool; other engines are assumed to use every core.
    int threads = "PyTorch".equals(engine.getEngineName()) ? JniUtils.getNumThreads() : cores;
    return new BenchEnvironment(
        Instant.now().toString(),
        cpuModel().orElse(System.getProperty("os.arch")),
        cores,
        loadAverage().orElse(null),
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        Engine.getDjlVersion(),
        engine.getEngineName() + " " + engine.getVersion(),
        threads,
        card.name(),
        card.version());
  }

  private static Optional<String> cpuModel() {
    return readProc("/proc/cpuinfo").flatMap(text -> text.lines()
        .filter(line -> line.startsWith("model name"))
        .map(line -> line.substring(line.indexOf(':') + 1).strip())
        .findFirst());
  }

  private static Optional<Double> loadAverage() {
    return readProc("/proc/loadavg").map(text -> Double.parseDouble(text.strip().split("\\s+")[0]));
  }

  private static Optional<String> readProc(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux: the record says less, the bench still runs
    }
  }
}
