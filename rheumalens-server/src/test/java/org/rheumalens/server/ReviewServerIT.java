package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.testing.SharedData;

/** The review app as its users drive it: a real server on a free port, a real HTTP client, the embedded database. */
class ReviewServerIT {

  static final String ADMIN_PASSWORD = "admin-password-1";

  static ServerConfig config(Path data) throws Exception {
    return new ServerConfig(data, null, null, null, 0, ModelLocation.bundled("knee-kl"), ADMIN_PASSWORD, 0);
  }

  /** Where a test's server keeps its database: the H2 default here, a throw-away PostgreSQL database elsewhere. */
  @FunctionalInterface
  interface ConfigFactory {
    ServerConfig at(Path data) throws Exception;
  }

  @Test
  void uploadGradeReviewAuditAndSurviveARestart(@TempDir Path dir) throws Exception {
    uploadGradeReviewAuditAndRestart(dir, ReviewServerIT::config);
  }

  @Test
  void readersCannotUseAdminRoutes(@TempDir Path dir) throws Exception {
    readersCannotUseAdminRoutes(dir, ReviewServerIT::config);
  }

  @Test
  void openApiDescribesExactlyTheApiRoutes(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(config(dir.resolve("data")), quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ADMIN_PASSWORD);
      JsonNode spec = client.get("/api/openapi.json").json();
      assertThat(spec.get("openapi").asText()).startsWith("3.");
      List<String> documented = new ArrayList<>();
      spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
          .forEachRemaining(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
      List<String> served = server.endpoints().stream().filter(e -> e.contains(" /api/")).toList();
      assertThat(served).as("API routes the server answers").hasSizeGreaterThan(10);
      assertThat(documented).as("OpenAPI paths and methods").containsExactlyInAnyOrderElementsOf(served);
    }
  }

  static void uploadGradeReviewAuditAndRestart(Path dir, ConfigFactory configs) throws Exception {
    Path knee = firstKnee();
    Path notes = Files.writeString(dir.resolve("notes.png"), "not an image");
    long imageId;
    try (ReviewServer server = ReviewServer.start(configs.at(dir.resolve("data")), quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertThat(client.get("/api/worklist").status()).as("no session").isEqualTo(401);
      assertThat(client.login("admin", "wrong-password").status()).isEqualTo(401);
      assertThat(client.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);

      ApiClient.Response upload = client.upload(List.of(knee, notes), null);
      assertThat(upload.status()).as(upload.body()).isEqualTo(202);
      JsonNode accepted = upload.json().get("accepted");
      assertThat(accepted).hasSize(1);
      imageId = accepted.get(0).get("imageId").asLong();
      assertThat(accepted.get(0).get("patient").asText()).startsWith("P-").doesNotContain(stem(knee));
      assertThat(upload.json().get("rejected").get(0).get("error").asText()).contains("notes.png");

      JsonNode item = waitUntilDone(client, imageId);
      assertThat(item.get("aiGrade").asInt()).isBetween(0, 4);
      assertThat(item.get("laterality").asText()).isEqualTo(stem(knee).substring(stem(knee).length() - 1));

      JsonNode view = client.get("/api/images/" + imageId).json();
      assertThat(view.get("result").get("modelName").asText()).isEqualTo("knee-kl");
      assertThat(view.get("result").get("probabilities")).hasSize(5);
      // The knee's side comes from its file name, so the widths are named medial and lateral.
      JsonNode jsw = new com.fasterxml.jackson.databind.ObjectMapper().readTree(view.get("result").get("measurements").asText());
      assertThat(jsw.get("side").asText()).isEqualTo(item.get("laterality").asText());
      assertThat(jsw.get("jsw_medial_px").asDouble()).isBetween(1.0, 30.0);
      assertThat(jsw.get("jsw_lateral_px").asDouble()).isBetween(1.0, 30.0);
      assertThat(view.get("history")).hasSize(1);
      assertPng(client.get("/api/images/" + imageId + "/display.png"));
      assertPng(client.get("/api/images/" + imageId + "/heatmap.png"));

      assertThat(client.postJson("/api/images/" + imageId + "/decision", Map.of("action", "override", "grade", 3)).status())
          .as("override without a reason").isEqualTo(400);
      ApiClient.Response decided = client.postJson("/api/images/" + imageId + "/decision",
          Map.of("action", "override", "grade", 3, "reason", "osteophytes larger on the lateral side"));
      assertThat(decided.status()).as(decided.body()).isEqualTo(201);

      ApiClient.Response pdf = client.get("/api/images/" + imageId + "/report.pdf");
      assertThat(pdf.status()).isEqualTo(200);
      try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.bytes())) {
        String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        assertThat(text).contains("Administrator").contains("final grade KL3").contains("Model knee-kl")
            .contains("osteophytes larger").contains("Minimum joint space width").contains("medial")
            .doesNotContain("PRELIMINARY");
      }
      JsonNode fhir = client.get("/api/images/" + imageId + "/fhir").json();
      assertThat(fhir.get("resourceType").asText()).isEqualTo("DiagnosticReport");
      assertThat(fhir.get("status").asText()).isEqualTo("final");
      assertThat(fhir.get("conclusionCode").get(0).get("coding").get(0).get("code").asText()).isEqualTo("KL3");
      assertThat(fhir.get("subject").get("identifier").get("value").asText()).startsWith("P-");
      List<String> observations = new ArrayList<>();
      fhir.get("contained").forEach(o -> observations.add(o.get("id").asText()));
      assertThat(observations).containsExactly("ai-grade", "jsw-medial", "jsw-lateral", "reader-grade");
      assertThat(fhir.get("contained").get(1).get("valueQuantity").get("value").asDouble()).isPositive();

      List<String> actions = new ArrayList<>();
      client.get("/api/images/" + imageId + "/audit").json().forEach(e -> actions.add(e.get("action").asText()));
      assertThat(actions).containsSubsequence("upload", "ai_result", "view_case", "decision");

      JsonNode audit = client.get("/api/admin/audit").json();
      assertThat(audit.get("chain_broken_at").asLong()).isEqualTo(-1);
      int events = audit.get("events").size();
      assertThat(client.method("DELETE", "/api/admin/audit").status()).isIn(404, 405);
      assertThat(client.method("PUT", "/api/admin/audit").status()).isIn(404, 405);
      assertThat(client.get("/api/admin/audit").json().get("events").size()).isGreaterThanOrEqualTo(events);

      JsonNode agreement = client.get("/api/admin/agreement").json();
      assertThat(agreement.get("n").asInt()).isEqualTo(1);
      assertThat(agreement.has("cohen_kappa")).isTrue();
      assertThat(agreement.has("linear_weighted_kappa")).isTrue();

      client.forgetCsrf();
      assertThat(client.postJson("/api/images/" + imageId + "/decision", Map.of("action", "accept")).status())
          .as("state change without the CSRF token").isEqualTo(403);
    }
    try (ReviewServer restarted = ReviewServer.start(configs.at(dir.resolve("data")), quiet())) {
      ApiClient client = new ApiClient(restarted.port());
      client.login("admin", ADMIN_PASSWORD);
      JsonNode decisions = client.get("/api/images/" + imageId).json().get("decisions");
      assertThat(decisions).hasSize(1);
      assertThat(decisions.get(0).get("finalGrade").asInt()).isEqualTo(3);
      assertThat(decisions.get(0).get("reason").asText()).contains("lateral");
    }
  }

  static void readersCannotUseAdminRoutes(Path dir, ConfigFactory configs) throws Exception {
    try (ReviewServer server = ReviewServer.start(configs.at(dir.resolve("data")), quiet())) {
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ADMIN_PASSWORD);
      ApiClient.Response created = admin.postJson("/api/admin/users",
          Map.of("username", "reader1", "displayName", "Dr Reader", "role", "reader", "password", "reader-password-1"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(admin.postJson("/api/admin/users", Map.of("username", "weak", "role", "reader", "password", "short")).status())
          .isEqualTo(400);

      ApiClient reader = new ApiClient(server.port());
      assertThat(reader.login("reader1", "reader-password-1").status()).isEqualTo(200);
      assertThat(reader.get("/api/worklist").status()).isEqualTo(200);
      assertThat(reader.get("/api/admin/audit").status()).isEqualTo(403);
      assertThat(reader.postJson("/api/admin/users", Map.of("username", "x", "role", "admin", "password", "0123456789")).status())
          .isEqualTo(403);
      assertThat(reader.get("/api/openapi.json").json().get("paths").has("/api/images/{id}/decision")).isTrue();
    }
  }

  static JsonNode waitUntilDone(ApiClient client, long imageId) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonNode item : client.get("/api/worklist").json().get("items")) {
        if (item.get("imageId").asLong() == imageId && !item.get("status").asText().matches("queued|processing")) {
          assertThat(item.get("status").asText()).isEqualTo("done");
          return item;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("image " + imageId + " was not graded within 2 minutes");
  }

  private static void assertPng(ApiClient.Response r) {
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bytes()).startsWith(0x89, 'P', 'N', 'G');
  }

  static Path firstKnee() throws Exception {
    try (var files = Files.list(SharedData.kneeKl().resolve("val/2"))) {
      return files.sorted().findFirst().orElseThrow();
    }
  }

  static Path secondKnee() throws Exception {
    try (var files = Files.list(SharedData.kneeKl().resolve("val/3"))) {
      return files.sorted().findFirst().orElseThrow();
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
