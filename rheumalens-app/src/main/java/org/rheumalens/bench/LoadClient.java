package org.rheumalens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One user of the review app over real HTTP, as one browser tab: its own cookie jar and, after login, CSRF token. Public
 * so that other modules' tests can sign cases as a reader would.
 */
public final class LoadClient {

  /** An answer: status, body, Retry-After (-1 without), and how long it took. */
  public record Answer(int status, byte[] body, long retryAfterSeconds, double ms) {
    public JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final URI base;
  private String csrf;

  public LoadClient(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  public Answer login(String user, String password) throws IOException, InterruptedException {
    Answer a = postJson("/api/login", Map.of("username", user, "password", password));
    if (a.status() != 200) {
      throw new IOException("login as " + user + ": " + a.status() + " " + a.text());
    }
    csrf = a.json().get("csrfToken").asText();
    return a;
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Answer postJson(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
  }

  /** multipart/form-data with one "files" part. */
  Answer upload(LoadImages.Upload file) throws IOException, InterruptedException {
    String boundary = "----rheumalens" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + file.filename()
        + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(file.png());
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(base.resolve("/api/images"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    request.timeout(Duration.ofSeconds(60));
    long start = System.nanoTime();
    HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    double ms = (System.nanoTime() - start) / 1e6;
    long retryAfter = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(-1L);
    return new Answer(r.statusCode(), r.body(), retryAfter, ms);
  }
}
