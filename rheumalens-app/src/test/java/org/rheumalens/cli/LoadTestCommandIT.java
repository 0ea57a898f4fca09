package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load test, small: a server in its own process, two readers deciding while two upload streams meet an AI queue of
 * five; every upload graded, zero errors, back-pressure seen (429 with Retry-After) and the queue held to its bound.
 */
class LoadTestCommandIT {

  @Test
  void readersAndUploadsAtOnceGiveNoErrorsAndAFullQueuePushesBack(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    CliRun run = CliRun.of("loadtest", "--gradings", "40", "--seconds", "150", "--readers", "2", "--uploaders", "2",
        "--ai-queue-max", "5", "--server-heap-mb", "768", "--results", results.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

    Path file;
    try (Stream<Path> files = Files.list(results)) {
      file = files.filter(p -> p.getFileName().toString().startsWith("loadtest-")).findFirst().orElseThrow();
    }
    JsonNode r = new ObjectMapper().readTree(file.toFile());
    assertThat(r.get("errors").asLong()).as(r.get("error_samples").toString()).isZero();
    assertThat(r.get("complete").asBoolean()).isTrue();
    assertThat(r.get("graded").asLong()).isGreaterThanOrEqualTo(40);
    assertThat(r.get("ai_failed").asLong()).isZero();
    assertThat(r.get("uploads_pushed_back_429").asLong()).as("uploads refused while the queue was full").isPositive();
    // Each upload stream can pass the check while another one's image is still being stored: five plus two at most.
    assertThat(r.get("ai_queue_max_observed").asLong()).isLessThanOrEqualTo(5 + 2);
    assertThat(r.get("decisions").asLong()).isPositive();
    for (String route : List.of("upload", "upload_refused_429", "worklist", "case", "image", "decision")) {
      JsonNode latency = r.get("latency_ms").get(route);
      assertThat(latency).as(route).isNotNull();
      assertThat(latency.get("p50").asDouble()).as(route).isPositive();
      assertThat(latency.get("p99").asDouble()).as(route).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
    }
    assertThat(r.get("rss_mb").get("max").asDouble()).as("the server's own memory was sampled").isGreaterThan(100);
    assertThat(r.get("samples").size()).isGreaterThan(2);
  }
}
