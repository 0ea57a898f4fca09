package org.rheumalens.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback (a master and two workers, each its own JVM with only Spark on its class
 * path) takes a spark-submit submission of the batch job: RheumaLens reaches the executors only as the submitted
 * application jar and its --jars, both executors score, and the rows match {@code grade}.
 */
class BatchClusterIT {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void sparkSubmitToATwoWorkerClusterScoresLikeGrade(@TempDir Path dir) throws Exception {
    List<Path> shared = BatchSample.valImages(4);
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> images = new ArrayList<>();
    for (Path file : shared) {
      images.add(Files.copy(file, in.resolve(file.getParent().getFileName() + "-" + file.getFileName())));
    }
    List<Path> bad = BatchSample.badFiles(in, shared.get(0));
    Path out = dir.resolve("out");
    LaunchDir launch = LaunchDir.fromProperty();

    long start = System.nanoTime();
    try (StandaloneCluster cluster = StandaloneCluster.start(launch, dir.resolve("cluster"), 2, 1, "1g")) {
      System.out.printf("cluster up in %.1f s%n", (System.nanoTime() - start) / 1e9);
      List<Path> app = launch.appJars();
      List<String> submit = LaunchDir.javaCommand("512m");
      submit.addAll(List.of("-cp", cluster.sparkClassPath(), "org.apache.spark.deploy.SparkSubmit",
          "--master", cluster.masterUrl(), "--deploy-mode", "client", "--class", BatchMain.class.getName(),
          "--jars", String.join(",", app.subList(1, app.size()).stream().map(Path::toString).toList()),
          "--executor-memory", "768m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
          // Start only when both executors are up, so both get work.
          "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
          "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=90s",
          "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
          "--conf", "spark.ui.enabled=false",
          app.get(0).toString(),
          "--input", in.toString(), "--model", BatchSample.model().toString(), "--out", out.toString(),
          "--format", "csv", "--json"));
      Path log = Files.createDirectories(Path.of("target", "batch-cluster-it")).resolve("submit.log");
      Process driver = new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = driver.waitFor(150, TimeUnit.SECONDS);
      if (!finished) {
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly().waitFor();
      }
      String output = Files.readString(log);
      System.out.printf("spark-submit done at %.1f s%n", (System.nanoTime() - start) / 1e9);
      assertThat(finished).as("spark-submit finished within 150 s:\n" + output).isTrue();
      assertThat(driver.exitValue()).as("spark-submit exit code:\n" + output).isZero();

      JsonNode summary = new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no JSON summary in:\n" + output)));
      assertThat(summary.path("images").asLong()).isEqualTo(22);
      assertThat(summary.path("errors").asLong()).isEqualTo(2);
      assertThat(summary.path("master").asText()).isEqualTo(cluster.masterUrl());
    }

    System.out.printf("cluster down at %.1f s%n", (System.nanoTime() - start) / 1e9);
    List<BatchSample.Scored> rows = BatchSample.Scored.readCsv(out);
    BatchSample.assertSameAsGrade(rows, BatchSample.model(), images, bad);
    assertThat(rows.stream().map(BatchSample.Scored::executor).distinct())
        .as("both workers' executors scored").hasSize(2)
        .allSatisfy(e -> assertThat(e).doesNotStartWith("driver"));
  }
}
