package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rheumalens.testing.BadInputCorpus;

/**
 * Coverage-guided fuzzing (Jazzer) of how the review API reads JSON request bodies, over real HTTP to a real server:
 * login, user creation and decisions get mutated bodies. A finding is a 5xx answer (or no answer): a malformed request
 * must be a 4xx with a reason. In the normal suite the seeds and the saved findings under
 * {@code src/test/resources/org/rheumalens/server/ApiRequestFuzzITInputs/} are replayed; {@code ./rheumalens fuzz}
 * mutates them for a bounded time.
 */
class ApiRequestFuzzIT {

  /** The routes whose JSON bodies are fuzzed; the fuzzer picks one by index. */
  private static final List<String> ROUTES = List.of("/api/login", "/api/admin/users", "/api/images/%d/decision");

  private static Path dir;
  private static ReviewServer server;
  private static HttpClient http;
  private static String csrf;
  private static long imageId;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("rheumalens-api-fuzz");
    server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet());
    ApiClient admin = new ApiClient(server.port());
    Path image = Files.write(dir.resolve("image.png"),
        BadInputCorpus.goodRasters(BadInputCorpus.syntheticBase()).get("png/grey-8"));
    assertThat(admin.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
    imageId = admin.upload(List.of(image), null).json().get("accepted").get(0).get("imageId").asLong();
    // A session of its own, so that the bodies go out exactly as the fuzzer wrote them.
    http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> login = http.send(json("/api/login",
        "{\"username\":\"admin\",\"password\":\"" + ReviewServerIT.ADMIN_PASSWORD + "\"}").build(),
        HttpResponse.BodyHandlers.ofString());
    csrf = ApiClient.JSON.readTree(login.body()).get("csrfToken").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @MethodSource("seeds")
  @FuzzTest
  void jsonBodies(int route, String body) throws Exception {
    String path = ROUTES.get(Math.floorMod(route, ROUTES.size())).formatted(imageId);
    HttpRequest request = json(path, body == null ? "" : body).header("X-CSRF-Token", csrf).build();
    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(status).as("%s with body %s", path, body).isLessThan(500);
  }

  static Stream<Arguments> seeds() {
    return Stream.of(
        Arguments.of(0, "{\"username\":\"admin\",\"password\":\"not-the-password\"}"),
        Arguments.of(0, "{\"username\":\"nobody\",\"password\":\"whatever-it-is\"}"),
        Arguments.of(1, "{\"username\":\"reader1\",\"displayName\":\"Dr Reader\",\"role\":\"reader\","
            + "\"password\":\"reader-password-1\"}"),
        Arguments.of(1, "{\"username\":\"x\",\"role\":\"admin\",\"password\":\"0123456789\"}"),
        Arguments.of(2, "{\"action\":\"override\",\"grade\":3,\"reason\":\"osteophytes\"}"),
        Arguments.of(2, "{\"action\":\"override\",\"grade\":3}"),
        Arguments.of(2, "{\"action\":\"refer\"}"));
  }

  private static HttpRequest.Builder json(String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
