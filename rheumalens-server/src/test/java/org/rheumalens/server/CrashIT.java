package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;

/**
 * Nothing acknowledged is lost: the server runs in its own process and is killed with SIGKILL (no shutdown hook, no
 * flush) right after a decision was acknowledged, and again while the AI is processing an image.
 */
class CrashIT {

  @Test
  void acknowledgedDecisionsAndQueuedImagesSurviveKillMinus9(@TempDir Path dir) throws Exception {
    survivesKillMinus9(dir, List.of());
  }

  /** {@code databaseArgs}: extra server arguments choosing the database (none: the embedded H2 file). */
  static void survivesKillMinus9(Path dir, List<String> databaseArgs) throws Exception {
    Path data = dir.resolve("data");
    Path knee = ReviewServerIT.firstKnee();
    long first;
    Server a = Server.start(data, databaseArgs, 0);
    try {
      ApiClient client = a.client();
      first = client.upload(List.of(knee), null).json().get("accepted").get(0).get("imageId").asLong();
      waitForStatus(client, first, "done");
      ApiClient.Response decided = client.postJson("/api/images/" + first + "/decision",
          Map.of("action", "override", "grade", 4, "reason", "bone-on-bone medially"));
      assertThat(decided.status()).isEqualTo(201);
    } finally {
      a.kill();
    }

    long second;
    Server b = Server.start(data, databaseArgs, 600_000); // the AI will sit on the next image until the process dies
    try {
      ApiClient client = b.client();
      JsonNode decisions = client.get("/api/images/" + first).json().get("decisions");
      assertThat(decisions).as("decision acknowledged before kill -9").hasSize(1);
      assertThat(decisions.get(0).get("finalGrade").asInt()).isEqualTo(4);
      second = client.upload(List.of(ReviewServerIT.secondKnee()), null).json().get("accepted").get(0).get("imageId").asLong();
      waitForStatus(client, second, "processing");
    } finally {
      b.kill();
    }

    Server c = Server.start(data, databaseArgs, 0);
    try {
      ApiClient client = c.client();
      waitForStatus(client, second, "done");
      assertThat(client.get("/api/images/" + second).json().get("result").get("grade").isNull()).isFalse();
      assertThat(client.get("/api/admin/audit").json().get("chain_broken_at").asLong()).isEqualTo(-1);
    } finally {
      c.kill();
    }
  }

  static void waitForStatus(ApiClient client, long imageId, String status) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      ApiClient.Response r = client.get("/api/images/" + imageId);
      assertThat(r.status()).as("image %d: %s", imageId, r.body()).isEqualTo(200);
      last = r.json().get("image").get("status").asText();
      if (last.equals(status)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("image " + imageId + " stayed " + last + ", expected " + status);
  }

  /** A server in a child JVM on this test's class path, on the bundled knee model. */
  record Server(ServerProcess process) {

    static Server start(Path data, List<String> databaseArgs, long aiDelayMs) throws Exception {
      List<String> args = new ArrayList<>(List.of("--ai-delay-ms", Long.toString(aiDelayMs)));
      args.addAll(databaseArgs);
      return start(data, args);
    }

    /** {@code extraArgs}: more {@link ServerMain} arguments (database, intake limits, AI delay). */
    static Server start(Path data, List<String> extraArgs) throws Exception {
      List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--port", "0",
          "--model", ModelLocation.bundled("knee-kl").toString(), "--admin-password", ReviewServerIT.ADMIN_PASSWORD));
      args.addAll(extraArgs);
      return new Server(ServerProcess.start(List.of("-Xmx2g"), args, Duration.ofMinutes(3)));
    }

    int port() {
      return process.port();
    }

    ApiClient client() throws Exception {
      ApiClient client = new ApiClient(port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
      return client;
    }

    /** SIGKILL: the JVM gets no chance to run shutdown hooks or flush anything. */
    void kill() throws InterruptedException {
      process.kill();
    }
  }
}
