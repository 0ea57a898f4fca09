package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.bench.LoadClient;
import org.rheumalens.io.Sha256;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.ReviewServer;
import org.rheumalens.server.ServerConfig;
import org.rheumalens.server.ServerProcess;
import org.rheumalens.testing.DicomTools;

/**
 * {@code pacs --push-decisions} end to end: a film in a real Orthanc is graded by {@code pacs}, imported into the review
 * app, signed by a reader through the app's HTTP API, and the decision comes back into the original study as a
 * verified SR, once; an amended decision comes back once more, superseding the first. Checked through Orthanc's REST
 * API and with dcmtk.
 */
class PushDecisionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KNEE_STUDY = PacsIT.KNEE_STUDY;
  private static final String KNEE_SOP = PacsIT.KNEE_SOP;
  private static final String ADMIN_PASSWORD = "admin-password-1";
  private static final List<String> KL = List.of("KL0", "KL1", "KL2", "KL3", "KL4");

  @Test
  void aSignedDecisionGoesBackIntoTheOriginalStudyOnceAndAnAmendmentSupersedesIt(@TempDir Path dir) throws Exception {
    try (Orthanc pacs = Orthanc.start(dir)) {
      String sourceId = pacs.upload(DicomOutIT.kneeAsDicom(GradeCommandIT.firstKnee(), dir.resolve("knee.dcm")));
      Path state = dir.resolve("state.json");
      Path data = dir.resolve("data");
      CliRun graded = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--once", "--state", state.toString());
      assertThat(graded.exitCode()).as(graded.out() + graded.err()).isZero();
      CliRun imported = CliRun.of("import", "--data", data.toString(), "--dicomweb", pacs.dicomWeb());
      assertThat(imported.out()).as(imported.out() + imported.err()).contains("1 imported");
      JsonNode done = JSON.readTree(state.toFile()).get("instances").get(KNEE_SOP);
      assertThat(done.get("sha256").asText()).as("the hash the review store keys the image by")
          .isEqualTo(Sha256.hex(pacs.file(sourceId)));
      String aiReport = done.get("report").get("sop").asText();

      CliRun unsigned = push(pacs, state, data);
      assertThat(unsigned.exitCode()).as(unsigned.out() + unsigned.err()).isZero();
      assertThat(unsigned.out()).contains("0 reader decisions stored, 0 stored before, 1 graded images not signed yet");

      int aiGrade = sign(data, Map.of("action", "override", "grade", -1, "reason", "osteophytes doubtful"));
      int readerGrade = (aiGrade + 2) % 5;
      CliRun first = push(pacs, state, data);

      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(first.out()).contains(KNEE_SOP + "  CHANGED by reader1: " + KL.get(readerGrade) + " (AI "
          + KL.get(aiGrade) + ")").contains("1 reader decisions stored, 0 stored before, 0 graded images not signed yet");
      PacsIT.Instance changed = readerReports(pacs).get(0);
      AttributeList report = PacsIT.read(pacs.file(changed.id()));
      assertThat(text(report, TagFromName.StudyInstanceUID)).isEqualTo(KNEE_STUDY);
      assertThat(text(report, TagFromName.PatientID)).isEqualTo("OAI-9000099");
      assertThat(text(report, TagFromName.VerificationFlag)).isEqualTo("VERIFIED");
      assertThat(text(report, TagFromName.CompletionFlag)).isEqualTo("COMPLETE");
      AttributeList verifier = ((SequenceAttribute) report.get(TagFromName.VerifyingObserverSequence)).getItem(0)
          .getAttributeList();
      assertThat(text(verifier, TagFromName.VerifyingObserverName)).isEqualTo("Dr Reader");
      assertThat(text(verifier, TagFromName.VerificationDateTime)).hasSize(14);
      assertThat(predecessors(report)).containsExactly(aiReport);
      String tree = new StructuredReport(report).toString();
      assertThat(tree).contains("IMAGE:  = 1.2.840.10008.5.1.4.1.1.1.1 : " + KNEE_SOP)
          .contains("Changed by a reader")
          .contains("Reader's result = " + KL.get(readerGrade) + "\n")
          .contains("Kellgren-Lawrence grade: kl = " + KL.get(aiGrade) + "\n")
          .contains("Person Observer's Login Name = reader1")
          .contains("osteophytes doubtful");
      Path file = Files.write(dir.resolve("changed.sr.dcm"), pacs.file(changed.id()));
      for (String tool : List.of("dciodvfy", "dsrdump")) {
        DicomTools.Run run = DicomTools.run(tool, file);
        assertThat(run.errors()).as(tool + "\n" + run.output()).isEmpty();
      }
      assertThat(PacsIT.instancesOf(pacs, KNEE_STUDY)).as("source, AI SR, heatmap, reader SR").hasSize(4);

      String stateAfterFirst = Files.readString(state);
      CliRun again = push(pacs, state, data);
      assertThat(again.out()).as(again.out() + again.err())
          .contains("0 reader decisions stored, 1 stored before, 0 graded images not signed yet");
      assertThat(Files.readString(state)).isEqualTo(stateAfterFirst);
      assertThat(PacsIT.instancesOf(pacs, KNEE_STUDY)).hasSize(4);

      // The reader thinks again and accepts the AI's grade: a new SR that follows the AI's report and the first one.
      sign(data, Map.of("action", "accept"));
      CliRun amended = push(pacs, state, data);
      assertThat(amended.exitCode()).as(amended.out() + amended.err()).isZero();
      String firstSop = changed.tags().get("SOPInstanceUID").asText();
      assertThat(amended.out()).contains(KNEE_SOP + "  CONFIRMED by reader1: " + KL.get(aiGrade) + " (AI "
          + KL.get(aiGrade) + ")  supersedes " + firstSop).contains("1 reader decisions stored, 0 stored before");
      List<PacsIT.Instance> reports = readerReports(pacs);
      assertThat(reports).hasSize(2);
      PacsIT.Instance confirmed = reports.stream().filter(r -> !r.id().equals(changed.id())).findFirst().orElseThrow();
      AttributeList second = PacsIT.read(pacs.file(confirmed.id()));
      assertThat(predecessors(second)).containsExactly(aiReport, firstSop);
      assertThat(new StructuredReport(second).toString()).contains("Confirmed by a reader");

      CliRun poll = CliRun.of("pacs", "--dicomweb", pacs.dicomWeb(), "--once", "--state", state.toString());
      assertThat(poll.out()).as("the reader SRs are not graded").contains("0 graded and stored, 0 to try again");
    }
  }

  @Test
  void aMissingDataFolderIsOneClearError(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-data");
    CliRun run = CliRun.of("pacs", "--push-decisions", "--data", missing.toString(), "--dicomweb",
        "http://127.0.0.1:9/dicom-web", "--state", dir.resolve("state.json").toString());

    assertThat(run.exitCode()).isEqualTo(RheumaLensCli.FAILED);
    assertThat(run.err().lines()).as(run.err()).singleElement().asString()
        .startsWith("rheumalens pacs: no review store in " + missing.toAbsolutePath())
        .contains("give --data the folder the review app uses");
    assertThat(missing).doesNotExist();
  }

  @Test
  void aServerHoldingTheDataFolderIsOneClearError(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (ServerProcess server = ServerProcess.start(List.of("-Xmx1g"), List.of("--data", data.toString(), "--port", "0",
        "--model", ModelLocation.bundled("knee-kl").toString(), "--admin-password", ADMIN_PASSWORD),
        Duration.ofMinutes(3))) {
      CliRun run = CliRun.of("pacs", "--push-decisions", "--data", data.toString(), "--dicomweb",
          "http://127.0.0.1:9/dicom-web", "--state", dir.resolve("state.json").toString());

      assertThat(run.exitCode()).isEqualTo(RheumaLensCli.FAILED);
      assertThat(run.err().lines()).as(run.err()).singleElement().asString()
          .startsWith("rheumalens pacs: the database in ")
          .contains("is open in another process (a running server?): stop it first");
      assertThat(dir.resolve("state.json")).doesNotExist();
    }
  }

  private static CliRun push(Orthanc pacs, Path state, Path data) {
    return CliRun.of("pacs", "--push-decisions", "--data", data.toString(), "--dicomweb", pacs.dicomWeb(), "--state",
        state.toString());
  }

  /**
   * Runs the review app on {@code data} and signs its one image as reader1 (created on first use) through the HTTP API;
   * a grade of -1 means two above the AI's. Returns the AI's grade. The app stops after: its H2 file is one process's.
   */
  private static int sign(Path data, Map<String, Object> decision) throws Exception {
    ServerConfig config = new ServerConfig(data, null, null, null, 0, ModelLocation.bundled("knee-kl"), ADMIN_PASSWORD, 0);
    try (ReviewServer server = ReviewServer.start(config, new PrintStream(PrintStream.nullOutputStream()))) {
      URI base = URI.create("http://localhost:" + server.port());
      LoadClient admin = new LoadClient(base);
      admin.login("admin", ADMIN_PASSWORD);
      admin.postJson("/api/admin/users", Map.of("username", "reader1", "displayName", "Dr Reader", "role", "reader",
          "password", "reader-password-1"));
      LoadClient reader = new LoadClient(base);
      reader.login("reader1", "reader-password-1");
      JsonNode item = gradedImage(reader);
      int aiGrade = item.get("aiGrade").asInt();
      Map<String, Object> body = new java.util.HashMap<>(decision);
      body.computeIfPresent("grade", (k, g) -> (int) g < 0 ? (aiGrade + 2) % 5 : g);
      LoadClient.Answer decided = reader.postJson("/api/images/" + item.get("imageId").asLong() + "/decision", body);
      assertThat(decided.status()).as(decided.text()).isEqualTo(201);
      return aiGrade;
    }
  }

  private static JsonNode gradedImage(LoadClient reader) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode items = reader.get("/api/worklist").json().get("items");
      assertThat(items).hasSize(1);
      if (items.get(0).get("status").asText().equals("done")) {
        return items.get(0);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the imported image was not graded within 2 minutes");
  }

  /** The verified SRs (the readers') in the knee's study. */
  private static List<PacsIT.Instance> readerReports(Orthanc pacs) throws Exception {
    return PacsIT.instancesOf(pacs, KNEE_STUDY).stream().filter(i -> i.sopClass().equals(PacsIT.SR_CLASS))
        .filter(i -> "VERIFIED".equals(i.tags().path("VerificationFlag").asText())).toList();
  }

  private static List<String> predecessors(AttributeList report) {
    SequenceAttribute studies = (SequenceAttribute) report.get(TagFromName.PredecessorDocumentsSequence);
    List<String> sops = new java.util.ArrayList<>();
    for (int s = 0; studies != null && s < studies.getNumberOfItems(); s++) {
      SequenceAttribute series = (SequenceAttribute) studies.getItem(s).getAttributeList()
          .get(TagFromName.ReferencedSeriesSequence);
      SequenceAttribute refs = (SequenceAttribute) series.getItem(0).getAttributeList().get(TagFromName.ReferencedSOPSequence);
      sops.add(text(refs.getItem(0).getAttributeList(), TagFromName.ReferencedSOPInstanceUID));
    }
    return sops;
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
