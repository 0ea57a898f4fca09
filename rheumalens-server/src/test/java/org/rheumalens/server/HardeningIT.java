package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.Database;
import org.rheumalens.testing.SharedData;

/**
 * The findings of issue 18 that an attacker, a busy clinic or a second process would hit, each on a real server with
 * a real HTTP client and the embedded database (the audit chain and concurrent uploads also on PostgreSQL, in
 * {@link PostgresReviewIT}).
 */
class HardeningIT {

  private static final int CONCURRENT = 20;

  @Test
  void twentyIdenticalAndTwentyDifferentUploadsAtOnceAllSucceed(@TempDir Path dir) throws Exception {
    concurrentUploads(dir, ReviewServerIT::config);
  }

  @Test
  void auditChainStaysLinearWithTwoWritersOnOneDatabase(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet());
        Database second = Database.embedded(data)) {
      // A second Database in this JVM is a second connection pool on the same H2 file: what a second process on a
      // shared database is, with its own AuditLog (so its own JVM lock).
      auditChainStaysLinear(server, second);
    }
  }

  /** Two AuditLogs (as two processes have) writing at once: one chain, each previous hash used once. */
  static void auditChainStaysLinear(ReviewServer server, Database second) throws Exception {
    AuditLog other = new AuditLog(second.jdbi(), second::sync);
    ApiClient admin = new ApiClient(server.port());
    admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        writes.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            other.record(null, "test_event", "test", (long) i, "from the second writer");
          }
          return null;
        }));
        writes.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            // through the server: each login records an event with the server's own AuditLog
            ApiClient c = new ApiClient(server.port());
            assertThat(c.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
    List<String> previous = second.jdbi().withHandle(h -> h.createQuery("SELECT prev_hash FROM audit_events")
        .mapTo(String.class).list());
    assertThat(previous).as("events chained onto the same previous event").doesNotHaveDuplicates().hasSizeGreaterThan(100);
    JsonNode verified = admin.get("/api/admin/audit/verify").json();
    assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("events").asLong()).isEqualTo(previous.size());
    assertThat(admin.get("/api/admin/audit").json().get("chain_broken_at").asLong()).isEqualTo(-1);
  }

  /** 20 uploads of one PNG and 20 of different ones, all at once: every one answered 202, the same PNG stored once. */
  static void concurrentUploads(Path dir, ReviewServerIT.ConfigFactory configs) throws Exception {
    Path knee = ReviewServerIT.firstKnee();
    BufferedImage pixels = ImageIO.read(knee.toFile());
    List<Path> different = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      BufferedImage copy = new BufferedImage(pixels.getWidth(), pixels.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
      copy.getGraphics().drawImage(pixels, 0, 0, null);
      copy.getRaster().setSample(0, 0, 0, i); // one pixel apart: different content, same size
      Path file = dir.resolve("9" + (100000 + i) + "L.png");
      ImageIO.write(copy, "png", file.toFile());
      different.add(file);
    }
    Path data = dir.resolve("data");
    try (ReviewServer server = ReviewServer.start(configs.at(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      ExecutorService pool = Executors.newFixedThreadPool(2 * CONCURRENT);
      List<Future<ApiClient.Response>> same = new ArrayList<>();
      List<Future<ApiClient.Response>> other = new ArrayList<>();
      try {
        for (int i = 0; i < CONCURRENT; i++) {
          Path file = different.get(i);
          same.add(pool.submit(() -> client.upload(List.of(knee), null)));
          other.add(pool.submit(() -> client.upload(List.of(file), null)));
        }
        Set<Long> sameIds = new HashSet<>();
        int firstCopies = 0;
        for (Future<ApiClient.Response> f : same) {
          ApiClient.Response r = f.get();
          assertThat(r.status()).as(r.body()).isEqualTo(202);
          JsonNode accepted = r.json().get("accepted").get(0);
          sameIds.add(accepted.get("imageId").asLong());
          firstCopies += accepted.get("duplicate").asBoolean() ? 0 : 1;
        }
        assertThat(sameIds).as("one image for 20 uploads of the same PNG").hasSize(1);
        assertThat(firstCopies).as("stored once, the other 19 answered as duplicates").isEqualTo(1);
        Set<Long> otherIds = new HashSet<>();
        for (Future<ApiClient.Response> f : other) {
          ApiClient.Response r = f.get();
          assertThat(r.status()).as(r.body()).isEqualTo(202);
          otherIds.add(r.json().get("accepted").get(0).get("imageId").asLong());
        }
        assertThat(otherIds).hasSize(CONCURRENT);
      } finally {
        pool.shutdown();
      }
      // Every stored copy is whole (a readable PNG), none is left under a temporary name, and the AI read them all.
      waitForQueue(client);
      try (Stream<Path> files = Files.walk(data.resolve("images"))) {
        List<Path> all = files.filter(Files::isRegularFile).toList();
        assertThat(all).noneMatch(f -> f.toString().endsWith(".tmp"));
        for (Path f : all) {
          assertThat(ImageIO.read(f.toFile())).as(f.toString()).isNotNull();
        }
      }
      JsonNode queue = client.get("/api/worklist").json().get("queue");
      assertThat(queue.get("done").asInt()).as(queue.toString()).isEqualTo(CONCURRENT + 1);
      assertThat(client.get("/api/admin/audit/verify").json().get("intact").asBoolean()).isTrue();
    }
  }

  static void waitForQueue(ApiClient client) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode queue = client.get("/api/worklist").json().get("queue");
      if (queue.get("queued").asInt() == 0 && queue.get("processing").asInt() == 0) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the AI queue did not drain within 5 minutes");
  }

  @Test
  void aSecondProcessCannotOpenTheEmbeddedDatabaseAndTheServerOpensNoOtherPort(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    CrashIT.Server server = CrashIT.Server.start(data, List.of(), 0);
    try {
      // AUTO_SERVER wrote "server=host:port" into the lock file and listened there on every interface.
      Path lock = data.resolve("rheumalens.lock.db");
      if (Files.exists(lock)) {
        assertThat(Files.readString(lock, StandardCharsets.ISO_8859_1)).doesNotContain("server=");
      }
      assertThatThrownBy(() -> Database.embedded(data)).hasMessageContaining("open in another process");
    } finally {
      server.kill();
    }
  }

  @Test
  void malformedRequestsAreAnswered4xxWithAReason(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertReason(client.post("/api/login", "application/json", "[]".getBytes()), 400, "JSON object");
      assertReason(client.post("/api/login", "application/json", "{".getBytes()), 400, "not valid JSON");
      assertReason(client.post("/api/login", "application/json", new byte[25 * 1024 * 1024]), 413, "");
      assertReason(client.post("/api/login", "text/plain", "{\"username\":\"admin\",\"password\":\"admin-password-1\"}"
          .getBytes()), 415, "application/json");
      assertReason(client.post("/api/login", "application/x-www-form-urlencoded",
          "username=admin&password=admin-password-1".getBytes()), 415, "application/json");
      assertReason(client.post("/api/login", "application/json", "{\"username\":\"admin\"}".getBytes()), 400, "password");
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);

      assertReason(client.postJson("/api/admin/users", List.of()), 400, "JSON object");
      assertReason(client.postJson("/api/admin/users", Map.of("role", "reader", "password", "reader-password-1")), 400,
          "username");
      assertReason(client.postJson("/api/admin/users", Map.of("username", "null", "role", "reader", "password",
          "reader-password-1")), 400, "null");
      assertReason(client.postJson("/api/admin/users", Map.of("username", "spaces", "role", "reader", "password",
          " ".repeat(12))), 400, "characters");
      assertReason(client.get("/api/worklist?from=notadate"), 400, "notadate");
      assertReason(client.get("/api/worklist?grade=two"), 400, "not a number");
      assertReason(client.get("/api/worklist?status=bogus"), 400, "status");
      assertReason(client.get("/api/admin/audit?limit=-1"), 400, "limit");
      assertReason(client.get("/api/admin/audit?limit=x"), 400, "not a number");
      assertReason(client.get("/api/images/notanumber"), 400, "not a number");

      // File names are hints only: "/" and 400 characters are fine, and neither is stored. A NUL in a part header is
      // not multipart/form-data at all.
      byte[] knee = Files.readAllBytes(ReviewServerIT.firstKnee());
      byte[] other = Files.readAllBytes(ReviewServerIT.secondKnee());
      for (String name : List.of("/", "x".repeat(400) + ".png")) {
        ApiClient.Response r = client.uploadParts(List.of(new ApiClient.Part(name, knee)), Map.of());
        assertThat(r.status()).as(name.length() + " chars: " + r.body()).isEqualTo(202);
      }
      assertReason(client.uploadParts(List.of(new ApiClient.Part("a\u0000b.png", other)), Map.of()), 400, "multipart");
      ApiClient.Response up = client.uploadParts(List.of(new ApiClient.Part("b.png", other)), Map.of());
      long id = up.json().get("accepted").get(0).get("imageId").asLong();
      assertReason(client.postJson("/api/images/" + id + "/decision", Map.of("action", "override", "grade", 2,
          "reason", "r".repeat(3000))), 400, "reason");
      assertReason(client.postJson("/api/images/" + id + "/decision", Map.of("action", "override", "grade", 2.9,
          "reason", "narrowing")), 400, "whole number");
      assertReason(client.postJson("/api/images/" + id + "/decision", Map.of("action", "override", "grade", -0.5,
          "reason", "narrowing")), 400, "whole number");
      assertReason(client.postJson("/api/images/" + id + "/decision", Map.of("action", "override", "grade", "3",
          "reason", "narrowing")), 400, "whole number");
      assertReason(client.postJson("/api/images/" + id + "/decision", Map.of("action", List.of())), 400, "action");
      assertThat(client.get("/api/images/" + id).json().get("decisions")).as("nothing stored by refused decisions").isEmpty();

      // A DICOM with a malformed birth date among other files: every file is taken, none aborts the others.
      Path dicom = withAttributes(SharedData.dicom("radiographs/CR_MONO1_16x16_dicomdirtest_6154.dcm"), dir.resolve("bad.dcm"),
          Map.of(com.pixelmed.dicom.TagFromName.PatientBirthDate, "19X1-0"));
      ApiClient.Response multi = client.upload(List.of(ReviewServerIT.firstKnee(), dicom, ReviewServerIT.secondKnee()), null);
      assertThat(multi.status()).as(multi.body()).isEqualTo(202);
      assertThat(multi.json().get("accepted")).hasSize(3);

      // Every PNG in the archive belongs to a stored image or heatmap: no orphans from refused or failed uploads.
      Set<String> stored = new HashSet<>(server.database().jdbi().withHandle(h -> h.createQuery("SELECT stored_path FROM images")
          .mapTo(String.class).list()));
      try (Stream<Path> files = Files.walk(data.resolve("images"))) {
        List<String> pngs = files.filter(Files::isRegularFile).map(f -> data.resolve("images").relativize(f).toString())
            .filter(f -> !f.startsWith("heatmaps")).toList();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(pngs);
      }
    }
  }

  private static void assertReason(ApiClient.Response r, int status, String reasonContains) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).as(r.body()).isNotBlank().containsIgnoringCase(reasonContains);
  }

  /** A copy of a real DICOM file with some attributes set (or removed, when the value is null). */
  static Path withAttributes(Path source, Path target, Map<com.pixelmed.dicom.AttributeTag, String> values) throws Exception {
    com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
    list.read(source.toString());
    for (var e : values.entrySet()) {
      if (e.getValue() == null) {
        list.remove(e.getKey());
      } else {
        com.pixelmed.dicom.Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(e.getKey(),
            com.pixelmed.dicom.DicomDictionary.StandardDictionary.getValueRepresentationFromTag(e.getKey()));
        a.addValue(e.getValue());
        list.put(a);
      }
    }
    list.removeGroupLengthAttributes();
    list.removeMetaInformationHeaderAttributes();
    com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(list,
        com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "RHEUMALENS");
    list.write(target.toString(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
    return target;
  }

  @Test
  void fileNamesAreNeverStoredOrShownAndUnknownPatientsStayApart(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path tiny = SharedData.dicom("radiographs/CR_MONO1_16x16_dicomdirtest_6154.dcm");
    // Two patients without a PatientID (different studies), and two PNGs without a patient field.
    Path noIdA = withAttributes(tiny, dir.resolve("DOE_JOHN_MRN-0001_1.2.3.dcm"), nullValues(com.pixelmed.dicom.TagFromName.PatientID,
        com.pixelmed.dicom.TagFromName.StudyInstanceUID));
    Path noIdB = withAttributes(tiny, dir.resolve("ROE_JANE_MRN-0002.dcm"), Map.of(com.pixelmed.dicom.TagFromName.PatientID, "",
        com.pixelmed.dicom.TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.2.1125.99"));
    Path pngA = Files.copy(ReviewServerIT.firstKnee(), dir.resolve("DOE_JOHN_knee.png"));
    Path pngB = Files.copy(ReviewServerIT.secondKnee(), dir.resolve("DOE_JOHN_knee2.png"));
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      ApiClient.Response up = client.upload(List.of(noIdA, noIdB, pngA, pngB), null);
      assertThat(up.status()).as(up.body()).isEqualTo(202);
      JsonNode accepted = up.json().get("accepted");
      assertThat(accepted).hasSize(4);
      Set<String> patients = new HashSet<>();
      accepted.forEach(a -> patients.add(a.get("patient").asText()));
      assertThat(patients).as("no patient id: each its own pseudonym").hasSize(4);
      waitForQueue(client);
      long id = accepted.get(0).get("imageId").asLong();
      List<String> shown = List.of(client.get("/api/worklist").body(), client.get("/api/images/" + id).body(),
          client.get("/api/admin/audit?limit=5000").body(), client.get("/api/images/" + id + "/fhir").body(),
          pdfText(client.get("/api/images/" + id + "/report.pdf").bytes()));
      for (String page : shown) {
        assertThat(page).doesNotContain("DOE").doesNotContain("ROE").doesNotContain("MRN");
      }
      assertThat(client.get("/api/images/" + id).json().get("image").get("displayName").asText()).matches("image-[0-9a-f]{12}\\.dcm");
      List<String> names = server.database().jdbi().withHandle(h -> h.createQuery("SELECT display_name FROM images")
          .mapTo(String.class).list());
      assertThat(names).allMatch(n -> n.matches("image-[0-9a-f]{12}\\.(dcm|png)"));
    }
  }

  private static Map<com.pixelmed.dicom.AttributeTag, String> nullValues(com.pixelmed.dicom.AttributeTag... tags) {
    Map<com.pixelmed.dicom.AttributeTag, String> out = new java.util.HashMap<>();
    for (var t : tags) {
      out.put(t, null);
    }
    return out;
  }

  static String pdfText(byte[] pdf) throws Exception {
    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      return new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
    }
  }

  @Test
  void uploadsOverTheLimitAreRefusedBeforeSpoolingAndHugeImagesAreBounded(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    ServerConfig config = ReviewServerIT.config(data).withHttp(new ServerConfig.Http("127.0.0.1", null, null, 1024 * 1024));
    assertThat(ReviewServerIT.config(data).http().maxUploadBytes()).as("default").isEqualTo(100L * 1024 * 1024);
    try (ReviewServer server = ReviewServer.start(config, ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      String cookieAndCsrf = sessionHeaders(server.port());
      // 150 MB declared, nothing sent: the answer must come without the server waiting for (or spooling) the body.
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/images HTTP/1.1\r\nHost: localhost\r\n" + cookieAndCsrf
            + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + 150L * 1024 * 1024 + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(answer).isEqualTo("HTTP/1.1 413");
      }
      // Without a declared length (chunked), the multipart limit stops it.
      ApiClient.Response big = client.uploadParts(List.of(new ApiClient.Part("big.png", new byte[2 * 1024 * 1024])), Map.of());
      assertThat(big.status()).as(big.body()).isEqualTo(413);
      try (Stream<Path> spooled = Files.walk(data.resolve("incoming"))) {
        assertThat(spooled.filter(Files::isRegularFile).toList()).as("nothing left spooled").isEmpty();
      }
      // A 10000x10000 PNG (its header says so) is refused before its pixels are decoded.
      ApiClient.Response huge = client.uploadParts(List.of(new ApiClient.Part("huge.png", pngDeclaring(10_000, 10_000))), Map.of());
      assertThat(huge.status()).isEqualTo(422);
      assertThat(huge.json().get("rejected").get(0).get("error").asText()).contains("10000x10000").contains("limit");
    }
  }

  private static String sessionHeaders(int port) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/login"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
            + ReviewServerIT.ADMIN_PASSWORD + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String csrf = ApiClient.JSON.readTree(r.body()).get("csrfToken").asText();
    return "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\n";
  }

  /** A one-pixel PNG whose header declares {@code width x height}: what a decompression bomb looks like to a reader. */
  static byte[] pngDeclaring(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    byte[] png = out.toByteArray();
    // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type and data (17 bytes).
    java.nio.ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    return png;
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndPatientDataIsNotCached(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient anonymous = new ApiClient(server.port());
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      List<ApiClient.Response> responses = List.of(anonymous.get("/"), anonymous.get("/index.html"), anonymous.get("/app.js"),
          anonymous.get("/style.css"), anonymous.get("/no-such-page"), anonymous.get("/api/worklist"),
          anonymous.post("/api/login", "text/plain", new byte[1]), admin.get("/api/worklist"), admin.get("/api/session"),
          admin.get("/api/images/999"));
      for (ApiClient.Response r : responses) {
        assertThat(r.header("Content-Security-Policy")).as(r.status() + " " + r.body()).contains("frame-ancestors 'none'")
            .contains("script-src 'self'").doesNotContain("script-src 'self' 'unsafe-inline'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
      }
      assertThat(admin.get("/api/worklist").header("Cache-Control")).isEqualTo("no-store");
      assertThat(admin.get("/api/images/999").header("Cache-Control")).isEqualTo("no-store");
      // The pages run with that policy: no inline script is left in them.
      for (String page : List.of("/index.html", "/case.html", "/admin.html")) {
        assertThat(anonymous.get(page).body()).doesNotContain("<script>").contains("<script src=");
      }
      assertThat(anonymous.get("/app.js").body()).contains("isLocalPath");
    }
  }

  @Test
  void listensOnLoopbackByDefaultAndServesTlsWithSecureCookies(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "store-password")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("plain")), ReviewServerIT.quiet())) {
      assertThat(ReviewServerIT.config(dir).http().host()).isEqualTo("127.0.0.1");
      String other = nonLoopbackAddress();
      if (other != null) {
        assertThatThrownBy(() -> new Socket(other, server.port()).close()).as("reachable on " + other)
            .isInstanceOf(java.net.ConnectException.class);
      }
      ApiClient client = new ApiClient(server.port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).header("Set-Cookie")).doesNotContain("Secure");
    }

    ServerConfig tls = ReviewServerIT.config(dir.resolve("tls"))
        .withHttp(new ServerConfig.Http("127.0.0.1", keystore, "store-password", ServerConfig.Http.DEFAULT_MAX_UPLOAD_BYTES));
    try (ReviewServer server = ReviewServer.start(tls, ReviewServerIT.quiet())) {
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        trust.load(in, "store-password".toCharArray());
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      ssl.init(null, tmf.getTrustManagers(), null);
      ApiClient client = new ApiClient("https://localhost:" + server.port(), java.net.http.HttpClient.newBuilder().sslContext(ssl));
      ApiClient.Response login = client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      assertThat(login.status()).isEqualTo(200);
      assertThat(login.header("Set-Cookie")).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
      assertThat(login.header("Strict-Transport-Security")).isNotNull();
      assertThat(client.get("/api/worklist").status()).isEqualTo(200);
      assertThatThrownBy(() -> new ApiClient(server.port()).get("/api/session")).as("plain HTTP on the TLS port")
          .isInstanceOf(java.io.IOException.class);
    }
  }

  private static String nonLoopbackAddress() throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address && nic.isUp()) {
          return address.getHostAddress();
        }
      }
    }
    return null;
  }

  @Test
  void dataFolderIsOwnerOnlyAndAnOldEmptyPasswordDatabaseGetsAPassword(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // A database as the server created it before: user sa, empty password.
    String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("rheumalens") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
        + "DEFAULT_NULL_ORDERING=HIGH";
    Database.open(url, "sa", "").close();
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      assertThat(client.upload(List.of(ReviewServerIT.firstKnee()), null).status()).isEqualTo(202);
      waitForQueue(client);
      try (Stream<Path> all = Files.walk(data)) {
        for (Path p : all.toList()) {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
          assertThat(mode).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
      }
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close()).as("the empty password no longer opens it")
        .hasMessageContaining("password");
  }

  @Test
  void imageAndHeatmapViewsAreAudited(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      long id = client.upload(List.of(ReviewServerIT.firstKnee()), null).json().get("accepted").get(0).get("imageId").asLong();
      waitForQueue(client);
      assertThat(client.get("/api/images/" + id + "/display.png").status()).isEqualTo(200);
      assertThat(client.get("/api/images/" + id + "/heatmap.png").status()).isEqualTo(200);
      List<String> actions = new ArrayList<>();
      client.get("/api/images/" + id + "/audit").json().forEach(e -> actions.add(e.get("action").asText()));
      assertThat(actions).contains("view_image", "view_heatmap");
    }
  }
}
