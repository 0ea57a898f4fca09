package org.rheumalens.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.rheumalens.io.CsvTable;
import org.rheumalens.ml.ModelLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rheumalens batch-bench}: images/s of the batch job on local[1], local[2] and a two-worker standalone cluster
 * on loopback, each run a fresh driver JVM (as {@code rheumalens batch} starts one), over the same val images.
 */
@Command(name = "batch-bench", mixinStandardHelpOptions = true,
    description = "Measure batch scoring images/s on local[1], local[2] and a two-worker standalone cluster.")
public final class BatchBench implements Callable<Integer> {

  @Option(names = "--images", paramLabel = "DIR", description = "Folder of images (default: shared knee-kl val).")
  Path images;
  @Option(names = "--limit", defaultValue = "0",
      description = "Score at most this many (spread over the folder; 0: all).")
  int limit;
  @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default: the bundled knee-kl model).")
  Path model;
  @Option(names = "--results", paramLabel = "DIR", description = "Where the record goes (default: bench/results).")
  Path results;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BatchBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path home = ModelLocation.home();
    Path folder = images != null ? images
        : Path.of(System.getenv().getOrDefault("RHEUMALENS_SHARED", home.resolve("../shared").toString()), "data",
            "knee-kl", "val");
    List<String> all = BatchInputs.list(folder);
    List<String> chosen = spread(all, limit > 0 ? limit : all.size());
    Path work = Files.createTempDirectory("rheumalens-batch-bench");
    Path manifest = Files.writeString(work.resolve("images.csv"),
        CsvTable.of("bench", List.of("image"), chosen.stream().map(List::of).toList()).toCsv());
    String modelDir = (model == null ? ModelLocation.bundled("knee-kl") : model).toAbsolutePath().toString();
    LaunchDir launch = LaunchDir.fromProperty();

    Map<String, Object> record = new LinkedHashMap<>();
    record.put("date", Instant.now().toString());
    record.put("images", chosen.size());
    record.put("input", folder.toString());
    record.put("model", modelDir);
    record.put("machine_cores", Runtime.getRuntime().availableProcessors());
    record.put("load_average1m_before", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    record.put("engine_threads_per_task", 1);
    List<Map<String, Object>> runs = new ArrayList<>();
    record.put("runs", runs);
    runs.add(run(launch, "local[1]", manifest, modelDir, work, List.of()));
    runs.add(run(launch, "local[2]", manifest, modelDir, work, List.of()));
    try (StandaloneCluster cluster = StandaloneCluster.start(launch, work.resolve("cluster"), 2, 1, "1500m")) {
      Map<String, Object> clustered = run(launch, cluster.masterUrl(), manifest, modelDir, work, List.of(
          "spark.executor.cores=1", "spark.cores.max=2", "spark.executor.memory=1g",
          "spark.scheduler.minRegisteredResourcesRatio=1.0", "spark.scheduler.maxRegisteredResourcesWaitingTime=90s",
          "spark.driver.host=127.0.0.1",
          "spark.driver.bindAddress=127.0.0.1"));
      clustered.put("setup", "standalone, 2 workers x 1 core, on loopback");
      runs.add(clustered);
    }
    record.put("load_average1m_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    Path dir = results != null ? results : home.resolve("bench").resolve("results");
    Path file = Files.createDirectories(dir).resolve("spark-batch-"
        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), record);
    System.out.printf(Locale.ROOT, "%-26s %8s %10s %10s %12s %10s%n", "master", "images", "job s", "images/s",
        "process s", "cores got");
    for (Map<String, Object> r : runs) {
      System.out.printf(Locale.ROOT, "%-26s %8s %10.1f %10.2f %12.1f %10.2f%n", r.get("master"), r.get("images"),
          r.get("seconds"), r.get("images_per_second"), r.get("process_seconds"), r.get("effective_cores"));
    }
    System.err.println("record: " + file);
    try (Stream<Path> walk = Files.walk(work)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    return 0;
  }

  /**
   * One batch run in a JVM of its own, as the launcher starts one: {@code seconds} is the scoring job (model loads
   * included), {@code process_seconds} adds the JVM and Spark start.
   */
  private static Map<String, Object> run(LaunchDir launch, String master, Path manifest, String modelDir, Path work,
      List<String> conf) throws IOException, InterruptedException {
    List<String> command = LaunchDir.javaCommand("3g");
    command.addAll(List.of("-Dai.djl.offline=true", "-D" + LaunchDir.PROPERTY + "=" + launch.dir(),
        "-D" + BatchSession.JARS_PROPERTY + "=" + LaunchDir.classPath(launch.appJars()),
        "-cp", System.getProperty("java.class.path"), BatchMain.class.getName(),
        "--master", master, "--input", manifest.toString(), "--model", modelDir,
        "--out", work.resolve("out-" + master.replaceAll("[^A-Za-z0-9]", "_")).toString(), "--json",
        "--conf", "spark.ui.enabled=false"));
    conf.forEach(c -> command.addAll(List.of("--conf", c)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    // One PyTorch thread per task slot: local[N] then uses N cores, as the cluster's one-core executors do.
    builder.environment().put("OMP_NUM_THREADS", "1");
    long start = System.nanoTime();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("batch on " + master + " failed:\n" + output);
    }
    double processSeconds = (System.nanoTime() - start) / 1e9;
    JsonNode summary = new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow(() -> new IOException("no summary from batch on " + master + ":\n" + output)));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("master", master);
    run.put("images", summary.path("images").asLong());
    run.put("errors", summary.path("errors").asLong());
    run.put("partitions", summary.path("partitions").asInt());
    run.put("seconds", summary.path("seconds").asDouble());
    run.put("images_per_second", summary.path("images_per_second").asDouble());
    run.put("process_seconds", processSeconds);
    run.put("scoring_cpu_seconds", summary.path("scoring_cpu_seconds").asDouble());
    // CPU the scoring threads got per second of the job: the cores this run really had.
    run.put("effective_cores", summary.path("scoring_cpu_seconds").asDouble() / summary.path("seconds").asDouble());
    return run;
  }

  /** {@code n} of {@code all}, evenly spaced, so a folder sorted by grade gives every grade its share. */
  static List<String> spread(List<String> all, int n) {
    List<String> chosen = new ArrayList<>(n);
    for (int i = 0; i < Math.min(n, all.size()); i++) {
      chosen.add(all.get((int) ((long) i * all.size() / Math.min(n, all.size()))));
    }
    return chosen;
  }

}
