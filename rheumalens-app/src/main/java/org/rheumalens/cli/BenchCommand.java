package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rheumalens.bench.BenchReport;
import org.rheumalens.bench.BenchSettings;
import org.rheumalens.bench.Benchmark;
import org.rheumalens.ml.ModelLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rheumalens bench}: times grading and training on this machine, against the same network in PyTorch. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time grading (end to end and model alone), batched grading and training on this machine, and the "
        + "same network in PyTorch when python3 with torch is present. Results go to bench/results/.")
final class BenchCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  enum PythonMode { AUTO, OFF }

  // snake_case for the nested records too, to match the headline keys.
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.") boolean json;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--model", description = "Model folder (default: the bundled models/<task>).") Path model;
  @Option(names = "--images", description = "Folder with grade sub-folders (default: the shared data's <task>/val).")
  Path images;
  @Option(names = "--python", defaultValue = "auto", description = "auto: time the PyTorch reference if torch imports; off.")
  PythonMode python;
  @Option(names = "--quick", description = "Few iterations: checks that every measurement works; numbers are noisy.")
  boolean quick;
  @Option(names = "--results", description = "Folder for the JSON record (default: bench/results under the home).")
  Path results;

  @Override
  public Integer call() throws Exception {
    Path modelDir = model != null ? model : ModelLocation.bundled(task);
    Path imagesDir = images != null ? images : sharedData().resolve("data").resolve(task).resolve("val");
    BenchReport report = Benchmark.run(modelDir, imagesDir, quick ? BenchSettings.quick() : BenchSettings.standard(),
        python == PythonMode.AUTO, System.err);
    Map<String, Object> record = report.toJson();
    Path resultsDir = Files.createDirectories(
        results != null ? results : ModelLocation.home().resolve("bench").resolve("results"));
    Path file = resultsDir.resolve("bench-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".json");
    JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), record);
    spec.commandLine().getOut().print(json ? JSON.writeValueAsString(record) + System.lineSeparator() : report.table());
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().println("bench: results written to " + file);
    return 0;
  }

  /** The shared data folder: RHEUMALENS_SHARED (the launcher sets it), else ../shared beside the home. */
  static Path sharedData() {
    String shared = System.getenv("RHEUMALENS_SHARED");
    return shared != null ? Path.of(shared) : ModelLocation.home().resolveSibling("shared");
  }
}
