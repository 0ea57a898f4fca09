package org.rheumalens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Orthanc PACS for tests: Debian's {@code Orthanc} with its DICOMweb plugin as a child process, HTTP on a free
 * loopback port, the DICOM port off, its storage and index in the test's folder. Skips the calling test when Orthanc
 * is not installed.
 */
final class Orthanc implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/Orthanc");
  private static final List<Path> PLUGIN_DIRS = List.of(Path.of("/usr/share/orthanc/plugins"), Path.of("/usr/lib/orthanc"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  // HTTP/1.1: Orthanc's web server does not take the HTTP/2 upgrade the JDK client offers by default.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Orthanc(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Orthanc with its files under {@code dir} and waits until {@code /system} answers. */
  static Orthanc start(Path dir) throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(BINARY),
        "Orthanc is not installed (apt-get install orthanc orthanc-dicomweb; ./rheumalens test installs them)");
    Path plugin = dicomWebPlugin();
    Assumptions.assumeTrue(plugin != null, "Orthanc's DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)");
    int port = freePort();
    Path storage = Files.createDirectories(dir.resolve("orthanc-storage"));
    Path config = dir.resolve("orthanc.json");
    JSON.writeValue(config.toFile(), Map.of(
        "Name", "rheumalens-test",
        "StorageDirectory", storage.toString(),
        "IndexDirectory", storage.toString(),
        "HttpPort", port,
        "DicomServerEnabled", false,
        "DicomPort", freePort(),
        "RemoteAccessAllowed", false,
        "AuthenticationEnabled", false,
        "Plugins", List.of(plugin.toString()),
        "DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/")));
    Process process = new ProcessBuilder(BINARY.toString(), config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile()).start();
    Orthanc orthanc = new Orthanc(process, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Orthanc exited at start (" + process.exitValue() + "): "
            + Files.readString(dir.resolve("orthanc.log")));
      }
      try {
        if (orthanc.get("/system").statusCode() == 200) {
          return orthanc;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    orthanc.close();
    throw new IOException("Orthanc did not answer /system within 30 s: " + Files.readString(dir.resolve("orthanc.log")));
  }

  /** Its REST root, e.g. {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Its DICOMweb root. */
  String dicomWeb() {
    return url() + "/dicom-web";
  }

  /** Uploads a DICOM file through the REST API ({@code POST /instances}); returns Orthanc's id of the instance. */
  String upload(Path file) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url() + "/instances"))
        .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("Orthanc refused " + file + ": " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body()).get("ID").asText();
  }

  /** A REST resource as JSON (status 200 required). */
  JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> answer = get(path);
    if (answer.statusCode() != 200) {
      throw new IOException("Orthanc GET " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body());
  }

  /** An instance's DICOM file ({@code /instances/{id}/file}). */
  byte[] file(String instanceId) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url() + "/instances/" + instanceId + "/file")).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Path dicomWebPlugin() throws IOException {
    for (Path dir : PLUGIN_DIRS) {
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          var found = files.filter(f -> f.getFileName().toString().startsWith("libOrthancDicomWeb.so")).sorted().findFirst();
          if (found.isPresent()) {
            return found.get();
          }
        }
      }
    }
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops Orthanc and waits for it to exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
