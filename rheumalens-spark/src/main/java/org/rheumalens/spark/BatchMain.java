package org.rheumalens.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.ModelLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rheumalens batch}: scores a folder or manifest of images on Spark and writes one row per image. */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Score many images on Spark (local[N] or a cluster): one row per image with the grade, "
        + "probabilities, confidence, review flags and OOD score; a bad file is a row with an error, not a failed job.")
public final class BatchMain implements Callable<Integer> {

  @Option(names = "--master", description = "Spark master: local[N], spark://host:port, ... (default: the one "
      + "spark-submit gives).")
  String master = System.getProperty("spark.master");
  @Option(names = "--input", required = true, paramLabel = "DIR_OR_MANIFEST",
      description = "A folder (walked) or a CSV manifest with an image column; every executor must see the files.")
  Path input;
  @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default: the bundled knee-kl model).")
  Path model;
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
  Path out;
  @Option(names = "--format", defaultValue = "parquet",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  BatchJob.Format format;
  @Option(names = "--partitions", defaultValue = "0",
      description = "Partitions (default: four per core Spark offers, at most one per image).")
  int partitions;
  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. "
      + "spark.executor.memory=4g.")
  Map<String, String> conf = new LinkedHashMap<>();
  @Option(names = "--json", description = "Print the summary as one JSON object.") boolean json;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    // A cause the user can act on is one line on stderr with exit code 2, as in every other command.
    return new CommandLine(new BatchMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("batch: " + e.getMessage());
          return 2;
        });
  }

  @Override
  public Integer call() throws IOException {
    if (master == null) {
      throw new IllegalArgumentException("no Spark master: pass --master local[N] or spark://host:port");
    }
    Path modelDir = (model == null ? ModelLocation.bundled("knee-kl") : model).toAbsolutePath().normalize();
    ModelCard.read(modelDir); // a folder without a model card fails here, before any executor starts
    List<String> images = BatchInputs.list(input);
    BatchJob job = new BatchJob(images, modelDir.toString(), out, format, partitions);
    BatchJob.Summary summary;
    try (SparkSession spark = BatchSession.start(master, conf)) {
      summary = job.run(spark);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("master", master);
    report.put("images", summary.images());
    report.put("errors", summary.errors());
    report.put("needs_review", summary.needsReview());
    report.put("partitions", summary.partitions());
    report.put("seconds", summary.seconds());
    report.put("images_per_second", summary.imagesPerSecond());
    report.put("scoring_cpu_seconds", summary.cpuSeconds());
    report.put("out", out.toString());
    System.out.println(json ? new ObjectMapper().writeValueAsString(report)
        : String.format(Locale.ROOT, "%d images scored on %s (%d errors, %d to review) in %.1f s, %.2f images/s -> %s",
            summary.images(), master, summary.errors(), summary.needsReview(), summary.seconds(),
            summary.imagesPerSecond(), out));
    return 0;
  }
}
