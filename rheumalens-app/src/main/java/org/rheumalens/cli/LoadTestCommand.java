package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rheumalens.bench.LoadTest;
import org.rheumalens.ml.ModelLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rheumalens loadtest}: readers browsing and deciding while uploads stream in, on a server on this machine. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "Load the review app over loopback: concurrent readers browse and decide while uploads stream in;"
        + " throughput, latency per route, errors, the server's memory and the AI queue's back-pressure."
        + " Starts its own server on a temporary data folder unless --url is given. Results go to bench/results/.")
final class LoadTestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--gradings", defaultValue = "1000", description = "Uploads to have graded (default: ${DEFAULT-VALUE}).")
  int gradings;
  @Option(names = "--seconds", defaultValue = "900", description = "Stop after this long in any case (default: ${DEFAULT-VALUE}).")
  int seconds;
  @Option(names = "--readers", defaultValue = "4", description = "Concurrent reader sessions (default: ${DEFAULT-VALUE}).")
  int readers;
  @Option(names = "--uploaders", defaultValue = "2", description = "Concurrent upload streams (default: ${DEFAULT-VALUE}).")
  int uploaders;
  @Option(names = "--ai-queue-max", defaultValue = "100",
      description = "The started server's AI queue bound; uploads beyond it get 429 (default: ${DEFAULT-VALUE}).")
  int aiQueueMax;
  @Option(names = "--images", description = "Greyscale PNGs to upload (default: the shared data's knee-kl/val; generated"
      + " pictures when absent).")
  Path images;
  @Option(names = "--url", description = "Load this running server (loopback only) instead of starting one.")
  URI url;
  @Option(names = "--admin-password", description = "The running server's admin password (with --url).")
  String adminPassword;
  @Option(names = "--server-pid", defaultValue = "0", description = "The running server's process id, to sample its memory (with --url).")
  long serverPid;
  @Option(names = "--server-heap-mb", defaultValue = "1024", description = "The started server's Java heap (default: ${DEFAULT-VALUE}).")
  int serverHeapMb;
  @Option(names = "--results", description = "Folder for the JSON record (default: bench/results under the home).")
  Path results;

  @Override
  public Integer call() throws Exception {
    Path imageDir = images != null ? images : BenchCommand.sharedData().resolve("data").resolve("knee-kl").resolve("val");
    Map<String, Object> record = LoadTest.run(new LoadTest.Settings(gradings, seconds, readers, uploaders, aiQueueMax,
        imageDir, url, adminPassword, serverPid, serverHeapMb), System.err);
    Path dir = Files.createDirectories(results != null ? results : ModelLocation.home().resolve("bench").resolve("results"));
    Path file = dir.resolve("loadtest-" + BenchCommand.STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".json");
    ObjectMapper json = new ObjectMapper();
    json.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), record);
    Map<String, Object> summary = new java.util.LinkedHashMap<>(record);
    summary.remove("samples");
    spec.commandLine().getOut().println(json.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    spec.commandLine().getErr().println("loadtest: results written to " + file);
    boolean held = Long.valueOf(0).equals(record.get("errors")) && Boolean.TRUE.equals(record.get("complete"));
    return held ? 0 : 1;
  }
}
