package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with real processes: the server killed with SIGKILL while uploads, decisions and the AI are all in flight,
 * and the data folder's disk filled up (a 20 MB tmpfs). Nothing acknowledged is lost, nothing half-written is shown,
 * the AI queue resumes, and a full disk is a clear 507 that ends when space is freed. PostgreSQL restarted under load
 * is in {@link PostgresReviewIT}; single kills at chosen moments in {@link CrashIT}.
 */
class FaultIT {

  @Test
  void killMinus9UnderLoadLosesNothingAcknowledgedAndTheQueueResumes(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    ServerLoad load;
    int inFlightAtKill;
    CrashIT.Server a = CrashIT.Server.start(data, List.of());
    try {
      load = ServerLoad.start(a.port(), ReviewServerIT.firstKnee(), 2, 2);
      load.awaitAcknowledged(12, 6, 100_000);
      inFlightAtKill = load.inFlight();
    } finally {
      a.kill(); // uploads, decisions and (with images queued) the AI are mid-way
    }
    load.close();
    assertThat(inFlightAtKill).as("requests in flight when the server was killed").isPositive();
    assertThat(load.answers.keySet()).as("statuses before the kill: %s", load.answers)
        .allMatch(k -> k.matches("upload 202|decision 201|worklist 200|.* io"));

    CrashIT.Server b = CrashIT.Server.start(data, List.of());
    try {
      ApiClient client = b.client();
      assertNothingLost(client, load);
      awaitQueueDrained(client);
      assertEveryImageCompleteAndEveryResultWhole(client, data);
      JsonNode chain = client.get("/api/admin/audit/verify").json();
      assertThat(chain.get("intact").asBoolean()).as(chain.toString()).isTrue();
      System.out.printf("FaultIT kill -9: %d uploads and %d decisions acknowledged, %d requests in flight at the kill;"
          + " all found after restart, queue drained, %d audit events intact%n", load.uploaded.size(), load.decided.size(),
          inFlightAtKill, chain.get("events").asLong());
    } finally {
      b.kill();
    }
  }

  @Test
  void aFullDiskIsA507AndTheServerWorksAgainOnceSpaceIsFreed(@TempDir Path dir) throws Exception {
    Path disk = Files.createDirectories(dir.resolve("disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    String why = new String(mount.getInputStream().readAllBytes()).strip();
    assumeThat(mount.waitFor()).as("mount -t tmpfs is not permitted here (%s): the disk-full test needs root", why).isZero();
    try {
      Path data = disk.resolve("data");
      Path filler = disk.resolve("filler");
      Path knee = ReviewServerIT.firstKnee();
      // First with the reserve: the intake refuses before reading the upload.
      CrashIT.Server a = CrashIT.Server.start(data, List.of("--min-free-bytes", Long.toString(4L << 20)));
      long first;
      try {
        ApiClient client = a.client();
        first = client.upload(List.of(knee), null).json().get("accepted").get(0).get("imageId").asLong();
        CrashIT.waitForStatus(client, first, "done");
        fill(filler, 2L << 20);
        ApiClient.Response refused = client.upload(List.of(ReviewServerIT.secondKnee()), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(507);
        assertThat(refused.json().get("error").asText()).contains("disk is full").contains("MB free");
        assertThat(refused.header("Retry-After")).isNotNull();
      } finally {
        a.kill();
      }
      // Then without a reserve and not a byte free: an upload still does not fit (507 before reading it), and a view,
      // whose audit event cannot be written (ENOSPC inside H2), is a 507 naming the cause too.
      CrashIT.Server b = CrashIT.Server.start(data, List.of("--min-free-bytes", "0"));
      try {
        ApiClient client = b.client();
        fill(filler, 0);
        ApiClient.Response refused = client.upload(List.of(ReviewServerIT.secondKnee()), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(507);
        assertThat(refused.json().get("error").asText()).contains("disk is full");
        assertThat(client.get("/api/worklist").json().get("items")).as("nothing stored while the disk was full").hasSize(1);
        // Views are audited: one that cannot be recorded is not shown, and says why.
        ApiClient.Response view = client.get("/api/images/" + first + "/display.png");
        assertThat(view.status()).as(view.body()).isEqualTo(507);
        assertThat(view.json().get("error").asText()).contains("disk is full");

        Files.delete(filler);
        // The write that failed closed H2's database; the request that finds it closed is answered 507 once more and
        // reopens it (Database.liveH2Connection), so a client following Retry-After gets through on its next try.
        ApiClient.Response again = client.upload(List.of(ReviewServerIT.secondKnee()), null);
        for (int retry = 0; again.status() == 507 && retry < 2; retry++) {
          again = client.upload(List.of(ReviewServerIT.secondKnee()), null);
        }
        assertThat(again.status()).as("after space was freed: %s", again.body()).isEqualTo(202);
        CrashIT.waitForStatus(client, again.json().get("accepted").get(0).get("imageId").asLong(), "done");
        assertEveryImageCompleteAndEveryResultWhole(client, data);
        assertThat(client.get("/api/images/" + first).json().get("result").get("grade").isNull()).isFalse();
      } finally {
        b.kill();
      }
    } finally {
      new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
    }
  }

  /** Writes {@code filler} until the disk has {@code leaveBytes} or less free (0: until a write fails). */
  private static void fill(Path filler, long leaveBytes) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      while (Files.getFileStore(filler).getUsableSpace() > leaveBytes) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (leaveBytes > 0 || !String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  /** Every upload answered 202 and every decision answered 201 is still there, as acknowledged. */
  static void assertNothingLost(ApiClient client, ServerLoad load) throws Exception {
    for (long id : load.uploaded) {
      ApiClient.Response r = client.get("/api/images/" + id);
      assertThat(r.status()).as("acknowledged upload %d", id).isEqualTo(200);
    }
    for (ServerLoad.Decided d : load.decided) {
      Set<String> reasons = new HashSet<>();
      for (JsonNode decision : client.get("/api/images/" + d.imageId()).json().get("decisions")) {
        reasons.add(decision.get("reason").asText());
      }
      assertThat(reasons).as("acknowledged decisions of image %d", d.imageId()).contains(d.reason());
    }
  }

  /** The AI grades whatever was queued or mid-processing: nothing stays queued, processing or failed. */
  static void awaitQueueDrained(ApiClient client) throws Exception {
    long deadline = System.currentTimeMillis() + 150_000;
    JsonNode queue = null;
    while (System.currentTimeMillis() < deadline) {
      queue = client.get("/api/worklist?status=failed").json().get("queue");
      if (queue.get("queued").asLong() == 0 && queue.get("processing").asLong() == 0) {
        assertThat(queue.get("failed").asLong()).as(queue.toString()).isZero();
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the AI queue did not drain: " + queue);
  }

  /**
   * Every listed image shows whole (its stored PNG and its display decode); a graded one has a whole result (model,
   * grade or refusal reasons) and, when it names one, a whole heatmap; an ungraded one has no result at all. No
   * temporary file sits under an image's real name.
   */
  static void assertEveryImageCompleteAndEveryResultWhole(ApiClient client, Path data) throws Exception {
    for (JsonNode item : client.get("/api/worklist").json().get("items")) {
      long id = item.get("imageId").asLong();
      JsonNode view = client.get("/api/images/" + id).json();
      JsonNode image = view.get("image");
      assertDecodes(client.get("/api/images/" + id + "/display.png"), "display of image " + id);
      JsonNode result = view.get("result");
      if (image.get("status").asText().equals("done")) {
        assertThat(result.get("modelName").asText()).isNotEmpty();
        assertThat(!result.get("grade").isNull() || result.get("reviewReasons").size() > 0).as("result of %d", id).isTrue();
        if (!result.get("heatmapPath").isNull()) {
          assertDecodes(client.get("/api/images/" + id + "/heatmap.png"), "heatmap of image " + id);
        }
      } else {
        assertThat(result == null || result.isNull()).as("an ungraded image %d has no result", id).isTrue();
      }
    }
    try (Stream<Path> files = Files.walk(data.resolve("images"))) {
      for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
        assertThat(ImageIO.read(png.toFile())).as("stored %s decodes", png).isNotNull();
      }
    }
  }

  private static void assertDecodes(ApiClient.Response r, String what) throws IOException {
    assertThat(r.status()).as(what).isEqualTo(200);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(r.bytes()));
    assertThat(decoded).as(what).isNotNull();
    assertThat(decoded.getWidth()).as(what).isPositive();
  }
}
