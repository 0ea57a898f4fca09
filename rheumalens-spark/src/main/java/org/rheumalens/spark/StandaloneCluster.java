package org.rheumalens.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback: a master and workers, each a JVM of its own started from a Spark home laid
 * out like a distribution's ({@code jars/} holds Spark and nothing of RheumaLens), so a job's classes reach the
 * executors only the way they would on a real cluster: sent with the job. For the tests and the bench.
 */
public final class StandaloneCluster implements AutoCloseable {

  /** Libraries Spark and the application share: Maven lists them once, on the application's side. */
  private static final Pattern SHARED_WITH_SPARK =
      Pattern.compile("(jackson-(annotations|core|databind)|slf4j-api|commons-compress|commons-codec|gson)-[0-9].*");
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final List<Process> processes = new ArrayList<>();
  private final Path logs;
  private Path sparkHome;
  private String masterUrl;

  private StandaloneCluster(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts a master and {@code workers} workers with {@code cores} cores and {@code memory} (e.g. "1g") for executors
   * each, and waits until every worker has registered.
   */
  public static StandaloneCluster start(LaunchDir launch, Path folder, int workers, int cores, String memory)
      throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(Files.createDirectories(folder.resolve("logs")));
    cluster.sparkHome = layOutSparkHome(launch, folder.resolve("spark-home"));
    try {
      int port = freePort();
      int webPort = freePort();
      cluster.masterUrl = "spark://127.0.0.1:" + port;
      cluster.spawn("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(port), "--webui-port", String.valueOf(webPort)));
      for (int i = 1; i <= workers; i++) {
        cluster.spawn("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--port", "0", "--webui-port", "0", "--cores", String.valueOf(cores), "--memory", memory,
            "--work-dir", Files.createDirectories(folder.resolve("work-" + i)).toString(), cluster.masterUrl));
      }
      cluster.awaitWorkers(webPort, workers);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The class path of a JVM with only Spark on it, as a distribution's {@code spark-submit} has. */
  public String sparkClassPath() {
    return sparkHome.resolve("jars") + "/*";
  }

  /** Where each process's output went (master.log, worker-1.log ...), for reading when something failed. */
  public Path logs() {
    return logs;
  }

  /** Stops the workers (and with them their executors), then the master. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    processes.clear();
    if (sparkHome == null) {
      return;
    }
    // The links into the Maven repository go; what they point at stays.
    try (var links = Files.list(sparkHome.resolve("jars"))) {
      for (Path link : links.toList()) {
        Files.deleteIfExists(link);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the Spark home's links in " + sparkHome, e);
    }
  }

  /** Spark's jars (links to the build's) in {@code home/jars}, where a worker looks for an executor's class path. */
  private static Path layOutSparkHome(LaunchDir launch, Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    // A RELEASE file marks a distribution: the worker then takes executors' class path from jars/.
    Files.writeString(home.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + " as laid out by RheumaLens for a local cluster\n");
    List<Path> all = new ArrayList<>(launch.sparkJars());
    launch.appJars().stream().filter(j -> SHARED_WITH_SPARK.matcher(j.getFileName().toString()).matches())
        .forEach(all::add);
    for (Path jar : all) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    return home;
  }

  private void spawn(String name, List<String> mainAndArgs) throws IOException {
    List<String> command = LaunchDir.javaCommand("256m");
    command.addAll(List.of("-cp", sparkClassPath()));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    builder.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
        "SPARK_SCALA_VERSION", "2.13", "SPARK_LOG_DIR", logs.toString()));
    processes.add(builder.start());
  }

  private void awaitWorkers(int webPort, int workers) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IOException("a Spark process exited with " + p.exitValue() + " while starting; see " + logs);
        }
      }
      try {
        JsonNode json = new ObjectMapper().readTree(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
        alive = 0;
        for (JsonNode worker : json.path("workers")) {
          alive += "ALIVE".equals(worker.path("state").asText()) ? 1 : 0;
        }
        if (alive == workers) {
          return;
        }
      } catch (IOException notYet) {
        // the master's web UI is not up yet
      }
      Thread.sleep(500);
    }
    throw new IOException(alive + " of " + workers + " Spark workers registered within " + START_LIMIT.toSeconds()
        + " s; see " + logs);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
