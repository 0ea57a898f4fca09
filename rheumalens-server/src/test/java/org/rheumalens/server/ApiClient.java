package org.rheumalens.server;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real HTTP client with its own cookie jar, as one browser tab would be; remembers the CSRF token after login. */
final class ApiClient {

  record Response(int status, String body, byte[] bytes, java.net.http.HttpHeaders headers) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** One multipart file part: the name the client gives it and its bytes. */
  record Part(String filename, byte[] content) {
    static Part of(Path file) throws IOException {
      return new Part(file.getFileName().toString(), Files.readAllBytes(file));
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String base;
  private String csrf;

  ApiClient(int port) {
    this("http://localhost:" + port, HttpClient.newBuilder());
  }

  /** A client of {@code base} (e.g. https://localhost:PORT) built from {@code builder} (e.g. with an SSL context). */
  ApiClient(String base, HttpClient.Builder builder) {
    this.base = base;
    this.http = builder.cookieHandler(new CookieManager()).build();
  }

  Response login(String user, String password) throws Exception {
    Response r = postJson("/api/login", Map.of("username", user, "password", password));
    if (r.status() == 200) {
      csrf = r.json().get("csrfToken").asText();
    }
    return r;
  }

  void forgetCsrf() {
    csrf = null;
  }

  Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Response postJson(String path, Object body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** A POST with any body and content type, as a careless or hostile client would send. */
  Response post(String path, String contentType, byte[] body) throws Exception {
    return request("POST", path, contentType, body, true);
  }

  /** Any method with any body; {@code withCsrf} false leaves the CSRF header out even when logged in. */
  Response request(String method, String path, String contentType, byte[] body, boolean withCsrf) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (!withCsrf) {
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.body(), r.headers());
    }
    return send(request);
  }

  Response method(String method, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** multipart/form-data with one "files" part per file and an optional "patient" field. */
  Response upload(List<Path> files, String patient) throws Exception {
    return uploadWith(files, patient == null ? java.util.Map.of() : java.util.Map.of("patient", patient));
  }

  /** multipart/form-data with one "files" part per file and the given form fields ("patient", "task"). */
  Response uploadWith(List<Path> files, java.util.Map<String, String> fields) throws Exception {
    List<Part> parts = new java.util.ArrayList<>();
    for (Path file : files) {
      parts.add(Part.of(file));
    }
    return uploadParts(parts, fields);
  }

  /** multipart/form-data with one "files" part per {@link Part}, named as given, and the given form fields. */
  Response uploadParts(List<Part> files, java.util.Map<String, String> fields) throws Exception {
    String boundary = "----rheumalens" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var field : fields.entrySet()) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
          + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    for (Part file : files) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + file.filename()
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(file.content());
      body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create(base + "/api/images"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private Response send(HttpRequest.Builder request) throws Exception {
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    HttpRequest built = request.build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<byte[]> r = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.body(), r.headers());
      } catch (java.io.IOException e) {
        // A server refusing a large body (413) may answer and close while the client is still sending it; the JDK
        // client then reports the closed connection instead of the answer. Send again to read the answer itself.
        boolean large = built.bodyPublisher().map(b -> b.contentLength() > (1 << 20)).orElse(false);
        if (!large || attempt == 3) {
          throw e;
        }
      }
    }
  }
}
