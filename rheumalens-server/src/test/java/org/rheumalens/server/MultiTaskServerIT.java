package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.store.Database;

/**
 * A server hosting two models, one per task: the bundled knee model and a tiny SYNTHETIC ultrasound model
 * ({@link TinyUltrasoundModel}). Each upload names its task, is read the way that task reads images and is graded by that task's model; the
 * worklist, decisions and agreement follow the image's task.
 */
class MultiTaskServerIT {

  private static final String US_TASK = TinyUltrasoundModel.TASK;

  /** The bundled knee model (the default task) and the tiny ultrasound model. */
  static List<Path> models() throws Exception {
    return List.of(ModelLocation.bundled("knee-kl"), TinyUltrasoundModel.get());
  }

  private static ServerConfig config(Path data) throws Exception {
    return new ServerConfig(data, null, null, null, 0, models(), ReviewServerIT.ADMIN_PASSWORD, 0);
  }

  @Test
  void eachTaskIsReadGradedListedAndDecidedWithItsOwnModel(@TempDir Path tmp) throws Exception {
    eachTaskIsReadGradedListedAndDecided(tmp, MultiTaskServerIT::config);
  }

  /** {@code configs} must serve {@link #models()}. */
  static void eachTaskIsReadGradedListedAndDecided(Path tmp, ReviewServerIT.ConfigFactory configs) throws Exception {
    Path knee = ReviewServerIT.firstKnee();
    Path grey = tmp.resolve("us-grey.png");
    Path colour = tmp.resolve("us-doppler.png");
    SplittableRandom random = new SplittableRandom(11);
    ImageIO.write(TinyUltrasoundModel.frame(1, false, random), "png", grey.toFile());
    ImageIO.write(TinyUltrasoundModel.frame(1, true, random), "png", colour.toFile());
    long kneeId;
    try (ReviewServer server = ReviewServer.start(configs.at(tmp.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);

      ApiClient.Response unknown = client.uploadWith(List.of(grey), Map.of("task", "hand-sharp"));
      assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
      assertThat(unknown.json().get("error").asText()).contains("hand-sharp").contains("knee-kl").contains(US_TASK);

      // No task: the default (first) model's task, as before there were several.
      ApiClient.Response kneeUpload = client.uploadWith(List.of(knee), Map.of());
      assertThat(kneeUpload.status()).as(kneeUpload.body()).isEqualTo(202);
      kneeId = kneeUpload.json().get("accepted").get(0).get("imageId").asLong();
      assertThat(kneeUpload.json().get("accepted").get(0).get("task").asText()).isEqualTo("knee-kl");

      // A colour export is grey-read for ultrasound, refused for the knee radiograph.
      ApiClient.Response usUpload = client.uploadWith(List.of(grey, colour), Map.of("task", US_TASK, "patient", "US-1"));
      assertThat(usUpload.status()).as(usUpload.body()).isEqualTo(202);
      assertThat(usUpload.json().get("accepted")).hasSize(2);
      assertThat(usUpload.json().get("rejected")).isEmpty();
      ApiClient.Response colourAsKnee = client.uploadWith(List.of(colour), Map.of("task", "knee-kl"));
      assertThat(colourAsKnee.status()).as(colourAsKnee.body()).isEqualTo(422);
      assertThat(colourAsKnee.json().get("rejected").get(0).get("error").asText()).containsIgnoringCase("colour");
      List<Long> usIds = new ArrayList<>();
      usUpload.json().get("accepted").forEach(a -> usIds.add(a.get("imageId").asLong()));
      // The same pixels again, for another task, are the image already stored, which keeps its task.
      JsonNode again = client.uploadWith(List.of(grey), Map.of("task", "knee-kl", "patient", "US-1")).json()
          .get("accepted").get(0);
      assertThat(again.get("duplicate").asBoolean()).isTrue();
      assertThat(again.get("imageId").asLong()).isEqualTo(usIds.get(0));
      assertThat(again.get("task").asText()).isEqualTo(US_TASK);

      waitUntilDone(client, "knee-kl", List.of(kneeId));
      waitUntilDone(client, US_TASK, usIds);

      JsonNode kneeView = client.get("/api/images/" + kneeId).json();
      assertThat(kneeView.get("image").get("taskId").asText()).isEqualTo("knee-kl");
      assertThat(kneeView.get("result").get("taskId").asText()).isEqualTo("knee-kl");
      assertThat(kneeView.get("result").get("modelName").asText()).isEqualTo("knee-kl");
      assertThat(kneeView.get("result").get("probabilities")).hasSize(5);
      assertThat(kneeView.get("grades")).hasSize(5);
      String usModelName = ModelCard.read(TinyUltrasoundModel.get()).name();
      for (long id : usIds) {
        JsonNode usView = client.get("/api/images/" + id).json();
        assertThat(usView.get("image").get("taskId").asText()).isEqualTo(US_TASK);
        assertThat(usView.get("result").get("taskId").asText()).isEqualTo(US_TASK);
        assertThat(usView.get("result").get("modelName").asText()).isEqualTo(usModelName);
        assertThat(usView.get("task").get("title").asText()).startsWith("Synovitis on ultrasound");
        assertThat(usView.get("grades").toString()).isEqualTo("[\"none\",\"present\"]");
        assertThat(client.get("/api/images/" + id + "/display.png").status()).isEqualTo(200);
      }
      // The grey frame is like those the tiny model saw and gets its two classes (the colour one may be out of them).
      assertThat(client.get("/api/images/" + usIds.get(0)).json().get("result").get("probabilities")).hasSize(2);

      JsonNode kneeList = client.get("/api/worklist").json();
      assertThat(kneeList.get("task").asText()).isEqualTo("knee-kl");
      assertThat(ids(kneeList)).containsExactly(kneeId);
      List<String> served = new ArrayList<>();
      kneeList.get("tasks").forEach(t -> served.add(t.get("id").asText()));
      assertThat(served).containsExactly("knee-kl", US_TASK);
      JsonNode usList = client.get("/api/worklist?task=" + US_TASK).json();
      assertThat(usList.get("task").asText()).isEqualTo(US_TASK);
      assertThat(usList.get("grades")).hasSize(2);
      assertThat(ids(usList)).containsExactlyInAnyOrderElementsOf(usIds);
      assertThat(client.get("/api/worklist?task=hand-sharp").status()).isEqualTo(400);

      // Grade 3 is a knee grade; the ultrasound task has two.
      long usId = usIds.get(0);
      ApiClient.Response outOfRange = client.postJson("/api/images/" + usId + "/decision",
          Map.of("action", "override", "grade", 3, "reason", "a knee grade"));
      assertThat(outOfRange.status()).as(outOfRange.body()).isEqualTo(400);
      assertThat(outOfRange.json().get("error").asText()).contains("0..1");
      ApiClient.Response decided = client.postJson("/api/images/" + usId + "/decision",
          Map.of("action", "override", "grade", 1, "reason", "effusion seen"));
      assertThat(decided.status()).as(decided.body()).isEqualTo(201);
      assertThat(client.postJson("/api/images/" + kneeId + "/decision",
          Map.of("action", "override", "grade", 3, "reason", "osteophytes")).status()).isEqualTo(201);

      JsonNode usAgreement = client.get("/api/admin/agreement?task=" + US_TASK).json();
      assertThat(usAgreement.get("n").asInt()).isEqualTo(1);
      assertThat(usAgreement.get("grades")).hasSize(2);
      assertThat(usAgreement.get("confusion_matrix_reader_rows_ai_columns")).hasSize(2);
      assertThat(client.get("/api/admin/agreement").json().get("n").asInt()).isEqualTo(1);

      JsonNode fhir = client.get("/api/images/" + usId + "/fhir").json();
      assertThat(fhir.toString()).contains("present").doesNotContain("KL");
    }

    // Images stored before images had a task (schema V1) belong to the default task from the next start.
    try (Database database = configs.at(tmp.resolve("data")).openDatabase()) {
      database.jdbi().useHandle(h -> h.execute("UPDATE images SET task_id = NULL WHERE id = ?", kneeId));
    }
    try (ReviewServer restarted = ReviewServer.start(configs.at(tmp.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(restarted.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      assertThat(client.get("/api/images/" + kneeId).json().get("image").get("taskId").asText()).isEqualTo("knee-kl");
      assertThat(ids(client.get("/api/worklist").json())).containsExactly(kneeId);
    }
  }

  @Test
  void twoModelsOfOneTaskAreRefused(@TempDir Path tmp) throws Exception {
    Path kneeModel = ModelLocation.bundled("knee-kl");
    ServerConfig twice = new ServerConfig(tmp.resolve("data"), null, null, null, 0, List.of(kneeModel, kneeModel),
        ReviewServerIT.ADMIN_PASSWORD, 0);
    assertThatThrownBy(() -> ReviewServer.start(twice, ReviewServerIT.quiet()).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both serve task 'knee-kl'");
  }

  private static List<Long> ids(JsonNode worklist) {
    List<Long> ids = new ArrayList<>();
    worklist.get("items").forEach(item -> ids.add(item.get("imageId").asLong()));
    return ids;
  }

  private static void waitUntilDone(ApiClient client, String task, List<Long> imageIds) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      List<Long> done = new ArrayList<>();
      for (JsonNode item : client.get("/api/worklist?task=" + task).json().get("items")) {
        if (!item.get("status").asText().matches("queued|processing")) {
          assertThat(item.get("status").asText()).as(item.toString()).isEqualTo("done");
          done.add(item.get("imageId").asLong());
        }
      }
      if (done.containsAll(imageIds)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("images " + imageIds + " of task " + task + " were not graded within 2 minutes");
  }
}
