package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.io.Sha256;
import org.rheumalens.testing.BadInputCorpus;
import org.rheumalens.testing.BadInputCorpus.Expect;
import org.rheumalens.testing.BadInputSummary;

/**
 * The review app's upload API over the generated bad-input corpus, on a real server: each unreadable file answered
 * with a 4xx naming it and its cause and nothing stored (no row, no archived PNG, no spooled upload left behind), each
 * readable one stored and graded, and the server healthy afterwards.
 */
class BadInputUploadIT {

  @TempDir Path dir;

  @Test
  void unreadableUploadsAreRefusedWithTheirCauseAndLeaveNothingBehind() throws Exception {
    List<BadInputCorpus.Input> corpus = BadInputCorpus.write(dir.resolve("corpus")).stream()
        .filter(BadInputCorpus.Input::regularFile) // an upload is bytes: device links are the CLI's concern
        .toList();
    Path data = dir.resolve("data");
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
      RadiographReader reader = RadiographReader.standard();
      BadInputSummary summary = new BadInputSummary("POST /api/images over the bad-input corpus");
      List<String> problems = new ArrayList<>();
      Set<Long> stored = new HashSet<>();
      Set<String> storedContent = new HashSet<>(); // the archive keeps one copy per content
      List<Path> refused = new ArrayList<>();
      for (BadInputCorpus.Input input : corpus) {
        String name = input.file().getFileName().toString();
        ApiClient.Response r = client.upload(List.of(input.file()), null);
        // Unreadable files, and DICOM files of another modality than the knee task's (CT, MR), are refused at upload.
        if (input.refusedBy(reader) || input.wrongModalityFor(reader, "XR")) {
          refused.add(input.file());
          String error = r.status() == 422 ? r.json().get("rejected").get(0).get("error").asText() : r.body();
          summary.refused(input, error);
          if (r.status() != 422 || !error.startsWith(name + ": ") || error.length() <= name.length() + 2) {
            problems.add(input.kind() + ": " + r.status() + " " + r.body());
          } else if (input.cause() != null && !error.contains(input.cause())) {
            problems.add(input.kind() + ": the cause should say '" + input.cause() + "': " + error);
          }
        } else {
          summary.read(input);
          if (r.status() != 202 || input.expect() == Expect.REFUSED) {
            problems.add(input.kind() + " readable: " + r.status() + " " + r.body());
          } else {
            stored.add(r.json().get("accepted").get(0).get("imageId").asLong());
            MessageDigest digest = Sha256.newDigest();
            digest.update(Files.readAllBytes(input.file()));
            storedContent.add(Sha256.hex(digest));
          }
        }
      }
      summary.report(Path.of("target/bad-input-upload.json"));
      assertThat(problems).isEmpty();
      assertThat(refused).hasSizeGreaterThan(60);

      // Several unreadable files in one request: all named, nothing stored.
      ApiClient.Response all = client.upload(refused.subList(0, 20), null);
      assertThat(all.status()).isEqualTo(422);
      assertThat(all.json().get("rejected")).hasSize(20);

      assertThat(worklistIds(client)).as("only the readable uploads are listed").isEqualTo(stored);
      try (Stream<Path> files = Files.walk(data.resolve("images"))) {
        List<Path> archived = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(data.resolve("images/heatmaps")))
            .toList();
        assertThat(archived).as("archived copies: one per stored content, no temporary file").hasSize(storedContent.size())
            .allMatch(f -> f.toString().endsWith(".png"));
      }
      try (Stream<Path> spooled = Files.walk(data.resolve("incoming"))) {
        assertThat(spooled.filter(Files::isRegularFile)).as("spooled uploads left behind").isEmpty();
      }
      // Healthy afterwards: the AI has graded every stored image (none failed) and the API still answers.
      JsonNode queue = waitForEmptyQueue(client);
      assertThat(queue.get("done").asLong()).isEqualTo(stored.size());
      assertThat(queue.get("failed").asLong()).isZero();
      assertThat(client.get("/api/session").status()).isEqualTo(200);
      Path knee = ReviewServerIT.firstKnee();
      assertThat(client.upload(List.of(knee), null).status()).isEqualTo(202);
    }
  }

  private static Set<Long> worklistIds(ApiClient client) throws Exception {
    Set<Long> ids = new HashSet<>();
    client.get("/api/worklist").json().get("items").forEach(item -> ids.add(item.get("imageId").asLong()));
    return ids;
  }

  private static JsonNode waitForEmptyQueue(ApiClient client) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      JsonNode queue = client.get("/api/worklist").json().get("queue");
      if (queue.get("queued").asLong() + queue.get("processing").asLong() == 0 || System.currentTimeMillis() > deadline) {
        return queue;
      }
      Thread.sleep(250);
    }
  }
}
