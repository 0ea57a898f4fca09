package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.DicomTools;
import org.rheumalens.testing.SharedData;

/**
 * {@code pacs} against a real Orthanc over DICOMweb: a knee film comes back with its SR and heatmap capture in its
 * own study, a hip film is refused and recorded, nothing is graded twice; a PACS that is down or whose STOW fails
 * gives a clear error and loses no result. Everything is checked through Orthanc's own REST API.
 */
class PacsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String KNEE_STUDY = "1.2.826.0.1.3680043.8.498.1";
  static final String KNEE_SOP = "1.2.826.0.1.3680043.8.498.1.1.1";
  private static final String SECOND_SOP = "1.2.826.0.1.3680043.8.498.1.2.1";
  static final String SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.33";
  private static final String SC_CLASS = "1.2.840.10008.5.1.4.1.1.7";

  @Test
  void storesTheReportAndHeatmapInTheOriginalStudyAndNeverGradesTwice(@TempDir Path dir) throws Exception {
    try (Orthanc pacs = Orthanc.start(dir)) {
      pacs.upload(DicomOutIT.kneeAsDicom(GradeCommandIT.firstKnee(), dir.resolve("knee.dcm")));
      Path hip = SharedData.dicom("radiographs/RG2_JPLL.dcm");
      pacs.upload(hip);
      String hipSop = new org.rheumalens.dicom.SourceImage(read(Files.readAllBytes(hip)))
          .text(TagFromName.SOPInstanceUID);
      Path state = dir.resolve("state.json");

      CliRun first = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--once", "--state", state.toString());

      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(first.out()).contains(KNEE_SOP + "  GRADED  knee-kl KL").contains(hipSop + "  REFUSED")
          .contains("1 graded and stored, 0 to try again, 2 instances done in all");
      List<Instance> study = instancesOf(pacs, KNEE_STUDY);
      assertThat(study).hasSize(3);
      Instance sr = study.stream().filter(i -> i.sopClass().equals(SR_CLASS)).findFirst().orElseThrow();
      Instance sc = study.stream().filter(i -> i.sopClass().equals(SC_CLASS)).findFirst().orElseThrow();
      assertThat(study.stream().map(Instance::series).distinct()).as("the source and two new series").hasSize(3);
      for (Instance derived : List.of(sr, sc)) {
        assertThat(derived.tags().get("StudyInstanceUID").asText()).isEqualTo(KNEE_STUDY);
        assertThat(derived.tags().get("PatientID").asText()).isEqualTo("OAI-9000099");
      }
      byte[] report = pacs.file(sr.id());
      String tree = new StructuredReport(read(report)).toString();
      assertThat(tree).contains("IMAGE:  = 1.2.840.10008.5.1.4.1.1.1.1 : " + KNEE_SOP)
          .contains("Heatmap overlay = " + SC_CLASS + " : " + sc.tags().get("SOPInstanceUID").asText())
          .contains("Algorithm Name = knee-kl");
      Path reportFile = Files.write(dir.resolve("from-pacs.sr.dcm"), report);
      DicomTools.Run dump = DicomTools.run("dsrdump", reportFile);
      assertThat(dump.exitCode()).as(dump.output()).isZero();
      assertThat(dump.errors()).as(dump.output()).isEmpty();
      assertThat(instancesOf(pacs, "1.3.6.1.4.1.5962.1.2.10.20040826185059.5457")).as("nothing stored for the hip")
          .hasSize(1);

      JsonNode done = JSON.readTree(state.toFile()).get("instances");
      assertThat(done.get(KNEE_SOP).get("outcome").asText()).isEqualTo("GRADED");
      assertThat(done.get(KNEE_SOP).get("study").asText()).isEqualTo(KNEE_STUDY);
      assertThat(texts(done.get(KNEE_SOP).get("outputs"))).containsExactlyInAnyOrder(
          sr.tags().get("SOPInstanceUID").asText(), sc.tags().get("SOPInstanceUID").asText());
      assertThat(done.get(hipSop).get("outcome").asText()).isEqualTo("REFUSED");
      String stateAfterFirst = Files.readString(state);

      // A restart: the same state file, the PACS now also holding the outputs. Nothing is graded again.
      CliRun second = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--once", "--state", state.toString());
      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
      assertThat(second.out()).contains("0 graded and stored, 0 to try again, 2 instances done in all")
          .doesNotContain("GRADED");
      assertThat(instancesOf(pacs, KNEE_STUDY)).hasSize(3);
      assertThat(Files.readString(state)).isEqualTo(stateAfterFirst);

      // A new film arrives in the same study; two polls of --watch grade it once, and nothing else.
      pacs.upload(secondKnee(dir.resolve("knee-2.dcm")));
      CliRun watch = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--watch", "--polls", "2", "--interval", "0.2",
          "--state", state.toString());
      assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
      assertThat(watch.out().lines().filter(l -> l.contains("  GRADED  "))).singleElement().asString()
          .startsWith(SECOND_SOP);
      assertThat(watch.out()).contains("1 graded and stored, 0 to try again, 3 instances done in all")
          .contains("0 graded and stored, 0 to try again, 3 instances done in all");
      assertThat(instancesOf(pacs, KNEE_STUDY)).hasSize(6);
    }
  }

  @Test
  void theReviewAppImportsThePacsImagesDeidentified(@TempDir Path dir) throws Exception {
    try (Orthanc pacs = Orthanc.start(dir)) {
      pacs.upload(DicomOutIT.kneeAsDicom(GradeCommandIT.firstKnee(), dir.resolve("knee.dcm")));
      pacs.upload(secondKnee(dir.resolve("knee-2.dcm")));
      Path data = dir.resolve("data");

      CliRun run = CliRun.of("import", "--data", data.toString(), "--dicomweb", pacs.dicomWeb());

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("2 images of modality").contains("fetched from " + pacs.dicomWeb())
          .contains("2 imported, 0 already stored, 0 rejected");
      // One source patient, one pseudonym; the hospital's ID never reaches the store.
      List<String> patients = run.out().lines().filter(l -> l.contains("  image ")).map(l -> l.replaceAll(".*  patient ", ""))
          .distinct().toList();
      assertThat(patients).as(run.out()).singleElement().asString().isNotBlank().doesNotContain("OAI-9000099");
      List<Path> stored;
      try (var files = Files.walk(data.resolve("images"))) {
        stored = files.filter(Files::isRegularFile).toList();
      }
      assertThat(stored).hasSize(2);
      for (Path file : stored) {
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(file + " is de-identified").doesNotContain("OAI-9000099").doesNotContain("TEST^KNEE")
            .doesNotContain(KNEE_STUDY);
      }

      CliRun again = CliRun.of("import", "--data", data.toString(), "--dicomweb", pacs.dicomWeb());
      assertThat(again.out()).as(again.out() + again.err()).contains("0 imported, 2 already stored, 0 rejected");
    }
  }

  @Test
  void aPacsThatIsDownGivesOneClearErrorAndChangesNothing(@TempDir Path dir) throws Exception {
    String url;
    try (Orthanc pacs = Orthanc.start(dir)) {
      pacs.upload(DicomOutIT.kneeAsDicom(GradeCommandIT.firstKnee(), dir.resolve("knee.dcm")));
      url = pacs.dicomWeb();
    }
    Path state = dir.resolve("state.json");
    Files.writeString(state, "{\"dicomweb\":\"" + url + "\",\"instances\":{}}");

    CliRun run = CliRun.of("pacs", "--dicomweb", url, "--once", "--state", state.toString(), "--tries", "3",
        "--retry-wait", "20");

    assertThat(run.exitCode()).isEqualTo(RheumaLensCli.FAILED);
    List<String> lines = run.err().lines().toList();
    assertThat(lines).as(run.err()).hasSize(3);
    assertThat(lines.get(0)).contains("GET " + url + "/studies: no answer (cannot connect: is the PACS running")
        .contains("trying again in 20 ms");
    assertThat(lines.get(1)).contains("trying again in 40 ms");
    assertThat(lines.get(2)).startsWith("rheumalens pacs: GET " + url + "/studies: no answer").endsWith("(after 3 tries)");
    assertThat(Files.readString(state)).isEqualTo("{\"dicomweb\":\"" + url + "\",\"instances\":{}}");
  }

  @Test
  void aStowAnswered500IsRetriedReportedAndFinishedByALaterRun(@TempDir Path dir) throws Exception {
    try (Orthanc pacs = Orthanc.start(dir)) {
      pacs.upload(DicomOutIT.kneeAsDicom(GradeCommandIT.firstKnee(), dir.resolve("knee.dcm")));
      AtomicInteger stows = new AtomicInteger();
      HttpServer broken = brokenStow(pacs, stows);
      Path state = dir.resolve("state.json");
      try {
        String url = "http://127.0.0.1:" + broken.getAddress().getPort() + "/dicom-web";
        CliRun run = CliRun.of("pacs", "--dicomweb", url, "--once", "--state", state.toString(), "--tries", "3",
            "--retry-wait", "20");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(GradeCommand.SOME_INPUTS_FAILED);
        assertThat(stows.get()).as("STOW tried three times").isEqualTo(3);
        assertThat(run.err()).contains(KNEE_SOP + ": not finished, tried again on the next run: POST " + url + "/studies/"
            + KNEE_STUDY + ": HTTP 500 STOW is broken (after 3 tries)");
        assertThat(run.out()).contains("0 graded and stored, 1 to try again, 0 instances done in all");
        assertThat(state).doesNotExist();
        assertThat(instancesOf(pacs, KNEE_STUDY)).as("nothing stored").hasSize(1);
      } finally {
        broken.stop(0);
      }

      CliRun healthy = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--once", "--state", state.toString());
      assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
      assertThat(healthy.out()).contains(KNEE_SOP + "  GRADED").contains("1 graded and stored, 0 to try again");
      assertThat(instancesOf(pacs, KNEE_STUDY)).hasSize(3);
      assertThat(JSON.readTree(state.toFile()).get("instances").get(KNEE_SOP).get("outcome").asText()).isEqualTo("GRADED");
      assertThat(JSON.readTree(state.toFile()).get("instances").get(KNEE_SOP).get("outputs")).hasSize(2);
    }
  }

  /** Another knee film of the same patient and study, in a series of its own. */
  private static Path secondKnee(Path file) throws Exception {
    Path png;
    try (var files = Files.list(SharedData.kneeKl().resolve("val/3"))) {
      png = files.sorted().findFirst().orElseThrow();
    }
    return DicomOutIT.kneeAsDicom(png, file, SECOND_SOP, KNEE_STUDY + ".2", "R");
  }

  /** One instance as Orthanc holds it: its id, its series' id, its tags ({@code ?simplify}). */
  record Instance(String id, String series, String sopClass, JsonNode tags) {}

  /** Every instance of the study with this Study Instance UID, through Orthanc's REST API. */
  static List<Instance> instancesOf(Orthanc pacs, String studyUid) throws Exception {
    List<Instance> found = new ArrayList<>();
    for (JsonNode studyId : pacs.json("/studies")) {
      JsonNode study = pacs.json("/studies/" + studyId.asText());
      if (!study.at("/MainDicomTags/StudyInstanceUID").asText().equals(studyUid)) {
        continue;
      }
      for (JsonNode seriesId : study.get("Series")) {
        for (JsonNode instanceId : pacs.json("/series/" + seriesId.asText()).get("Instances")) {
          JsonNode tags = pacs.json("/instances/" + instanceId.asText() + "/tags?simplify");
          found.add(new Instance(instanceId.asText(), seriesId.asText(), tags.get("SOPClassUID").asText(), tags));
        }
      }
    }
    return found;
  }

  /** A PACS front whose queries and retrievals reach Orthanc but whose STOW-RS always answers 500. */
  private static HttpServer brokenStow(Orthanc pacs, AtomicInteger stows) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] body;
        int status;
        if (exchange.getRequestMethod().equals("POST")) {
          stows.incrementAndGet();
          status = 500;
          body = "STOW is broken".getBytes();
        } else {
          HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(pacs.url() + exchange.getRequestURI()));
          exchange.getRequestHeaders().getOrDefault("Accept", List.of()).forEach(a -> forward.header("Accept", a));
          HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
          answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
          status = answer.statusCode();
          body = answer.body();
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    return server;
  }

  static AttributeList read(byte[] file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(new com.pixelmed.dicom.DicomInputStream(new ByteArrayInputStream(file)));
    return list;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
