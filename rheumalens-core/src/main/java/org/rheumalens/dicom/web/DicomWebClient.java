package org.rheumalens.dicom.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A DICOMweb (PS3.18) client over plain {@code java.net.http}: QIDO-RS to find studies, series and instances,
 * WADO-RS to fetch an instance, STOW-RS to store objects into a study. Transient failures (no answer, 5xx, 408, 429)
 * are retried with doubling waits; what still fails is a {@link DicomWebException} naming the URL and status.
 */
public final class DicomWebClient {

  /** Attribute tags as DICOM JSON keys (PS3.18 F.2). */
  private static final String STUDY_UID = "0020000D";
  private static final String SERIES_UID = "0020000E";
  private static final String SOP_INSTANCE_UID = "00080018";
  private static final String SOP_CLASS_UID = "00080016";
  private static final String MODALITY = "00080060";
  private static final String FAILED_SOP_SEQUENCE = "00081198";
  private static final String REFERENCED_SOP_SEQUENCE = "00081199";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http;
  private final int attempts;
  private final Duration firstWait;
  private final Consumer<String> log;

  /**
   * @param base the DICOMweb root, e.g. {@code http://pacs:8042/dicom-web}
   * @param attempts tries per call (at least 1)
   * @param firstWait the wait before the second try; each later wait doubles
   * @param log where retries are reported (one line each)
   */
  public DicomWebClient(String base, int attempts, Duration firstWait, Consumer<String> log) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    this.attempts = Math.max(1, attempts);
    this.firstWait = firstWait;
    this.log = log;
  }

  public String base() {
    return base;
  }

  /** QIDO-RS {@code /studies}: one JSON object per study. */
  private List<JsonNode> studies() throws IOException {
    return query("/studies");
  }

  /** QIDO-RS {@code /studies/{study}/series}. */
  private List<JsonNode> series(String study) throws IOException {
    return query("/studies/" + study + "/series");
  }

  /** QIDO-RS {@code /studies/{study}/series/{series}/instances}. */
  private List<JsonNode> instances(String study, String series) throws IOException {
    return query("/studies/" + study + "/series/" + series + "/instances");
  }

  /** Every instance the PACS holds, study by study (QIDO-RS at each level; a large archive takes many calls). */
  public List<PacsInstance> allInstances() throws IOException {
    List<PacsInstance> all = new ArrayList<>();
    for (JsonNode study : studies()) {
      String studyUid = text(study, STUDY_UID);
      for (JsonNode series : series(studyUid)) {
        String seriesUid = text(series, SERIES_UID);
        for (JsonNode instance : instances(studyUid, seriesUid)) {
          all.add(new PacsInstance(studyUid, seriesUid, text(instance, SOP_INSTANCE_UID), text(instance, SOP_CLASS_UID),
              text(series, MODALITY)));
        }
      }
    }
    return all;
  }

  /** WADO-RS: {@code instance}'s file. */
  public byte[] fetch(PacsInstance instance) throws IOException {
    return instance(instance.study(), instance.series(), instance.sop());
  }

  /** WADO-RS: one instance as a DICOM Part 10 file, in the transfer syntax the PACS holds it in. */
  private byte[] instance(String study, String series, String sop) throws IOException {
    String path = "/studies/" + study + "/series/" + series + "/instances/" + sop;
    HttpResponse<byte[]> answer = send(path, HttpRequest.newBuilder(uri(path))
        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").GET());
    String type = answer.headers().firstValue("Content-Type").orElse("");
    List<byte[]> parts;
    try {
      parts = MultipartRelated.decode(answer.body(), MultipartRelated.boundary(type));
    } catch (IllegalArgumentException e) {
      throw new DicomWebException(base + path + ": unreadable WADO-RS answer: " + e.getMessage(), answer.statusCode(), e);
    }
    if (parts.size() != 1) {
      throw new DicomWebException(base + path + ": WADO-RS answered " + parts.size() + " parts for one instance",
          answer.statusCode(), null);
    }
    return parts.get(0);
  }

  /**
   * STOW-RS into {@code study}: all objects in one request. Succeeds only when the PACS answers 200, lists every
   * object as stored and none as failed, so a caller may count them as stored. (Some PACS answer 202 when only part
   * was stored; that is a failure here, and the caller stores all again: a STOW of the same instance replaces it.)
   */
  public void store(String study, List<byte[]> objects) throws IOException {
    String path = "/studies/" + study;
    String boundary = MultipartRelated.newBoundary();
    byte[] body = MultipartRelated.encode(boundary, "application/dicom", objects);
    HttpResponse<byte[]> answer = send(path, HttpRequest.newBuilder(uri(path))
        .header("Content-Type", MultipartRelated.contentType(boundary))
        .header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    JsonNode response = answer.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(answer.body());
    int failed = response.path(FAILED_SOP_SEQUENCE).path("Value").size();
    int stored = response.path(REFERENCED_SOP_SEQUENCE).path("Value").size();
    if (answer.statusCode() != 200 || failed > 0 || stored != objects.size()) {
      throw new DicomWebException(String.format(java.util.Locale.ROOT,
          "POST %s%s: HTTP %d, STOW-RS stored %d of %d instances (%d failed)", base, path, answer.statusCode(), stored,
          objects.size(), failed), answer.statusCode(), null);
    }
  }

  /** The first value of {@code tag} in a DICOM JSON object, or "" when it has none. */
  private static String text(JsonNode object, String tag) {
    JsonNode value = object.path(tag).path("Value");
    return value.isArray() && !value.isEmpty() ? value.get(0).asText() : "";
  }

  private List<JsonNode> query(String path) throws IOException {
    HttpResponse<byte[]> answer = send(path, HttpRequest.newBuilder(uri(path)).header("Accept", "application/dicom+json").GET());
    List<JsonNode> found = new ArrayList<>();
    if (answer.statusCode() == 204 || answer.body().length == 0) {
      return found; // QIDO-RS: no match
    }
    JsonNode array = JSON.readTree(answer.body());
    if (!array.isArray()) {
      throw new DicomWebException("QIDO-RS " + base + path + ": answer is not a JSON array", answer.statusCode(), null);
    }
    array.forEach(found::add);
    return found;
  }

  private URI uri(String path) throws DicomWebException {
    try {
      return URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new DicomWebException("not a DICOMweb URL: " + base + path, 0, e);
    }
  }

  /** Sends with retries; a 2xx answer is returned, anything else ends as a {@link DicomWebException}. */
  private HttpResponse<byte[]> send(String path, HttpRequest.Builder request) throws IOException {
    HttpRequest built = request.timeout(Duration.ofMinutes(2)).build();
    String what = built.method() + " " + base + path;
    Duration wait = firstWait;
    for (int attempt = 1; ; attempt++) {
      DicomWebException failure;
      try {
        HttpResponse<byte[]> answer = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() / 100 == 2) {
          return answer;
        }
        failure = new DicomWebException(what + ": HTTP " + answer.statusCode() + " " + firstLine(answer.body()),
            answer.statusCode(), null);
      } catch (IOException e) {
        failure = new DicomWebException(what + ": no answer (" + describe(e) + ")", 0, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DicomWebException(what + ": interrupted", 0, e);
      }
      if (!DicomWebException.isTransient(failure.status()) || attempt >= attempts) {
        throw attempt == 1 ? failure
            : new DicomWebException(failure.getMessage() + " (after " + attempt + " tries)", failure.status(), failure);
      }
      log.accept(failure.getMessage() + "; trying again in " + wait.toMillis() + " ms");
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
      wait = wait.multipliedBy(2);
    }
  }

  /** The exception's type and the first message along its causes (the JDK client's own often has none). */
  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return e.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    // The JDK client's connect failures carry no message at any depth.
    return e instanceof java.net.ConnectException ? "cannot connect: is the PACS running, and the URL right?"
        : e.getClass().getSimpleName();
  }

  private static String firstLine(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
