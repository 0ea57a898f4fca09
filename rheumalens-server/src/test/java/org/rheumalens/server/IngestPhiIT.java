package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.server.store.Database;
import org.rheumalens.testing.TestDicom;

/**
 * The review app's import keeps of a DICOM header what the PS3.15 profile (Modified Dates, Patient Characteristics)
 * keeps: study dates shifted per patient with intervals intact, no free-text description; and an image that says it
 * carries burned-in annotation is flagged on its case.
 */
class IngestPhiIT {

  @Test
  void storesShiftedDatesNoDescriptionAndFlagsBurnedInAnnotation(@TempDir Path dir) throws Exception {
    Path first = knee(dir.resolve("first.dcm"), "1.2.826.0.1.3680043.8.498.7", "20240102", "YES");
    Path later = knee(dir.resolve("later.dcm"), "1.2.826.0.1.3680043.8.498.8", "20240302", "NO");
    Path data = dir.resolve("data");
    long firstId;
    long laterId;
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(data), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
      ApiClient.Response upload = client.upload(List.of(first, later), null);
      assertThat(upload.status()).as(upload.body()).isEqualTo(202);
      firstId = upload.json().get("accepted").get(0).get("imageId").asLong();
      laterId = upload.json().get("accepted").get(1).get("imageId").asLong();

      JsonNode flagged = client.get("/api/images/" + firstId).json();
      assertThat(flagged.get("phi_warning").asText()).contains("Burned In Annotation YES");
      assertThat(client.get("/api/images/" + laterId).json().get("phi_warning").isNull()).isTrue();

      Map<Long, LocalDate> dates = new java.util.HashMap<>();
      for (JsonNode row : flagged.get("history")) {
        dates.put(row.get("imageId").asLong(), LocalDate.parse(row.get("studyDate").asText()));
      }
      LocalDate shiftedFirst = dates.get(firstId);
      assertThat(shiftedFirst).isNotEqualTo(LocalDate.of(2024, 1, 2));
      assertThat(ChronoUnit.DAYS.between(shiftedFirst, LocalDate.of(2024, 1, 2))).isBetween(1L, 365L);
      assertThat(ChronoUnit.DAYS.between(shiftedFirst, dates.get(laterId))).as("the interval stays true").isEqualTo(60);
    }
    try (Database db = Database.embedded(data)) {
      List<Map<String, Object>> studies = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT description, study_date FROM studies").mapToMap().list());
      assertThat(studies).hasSize(2).allSatisfy(s -> assertThat(s.get("description")).isNull());
      assertThat(studies).noneSatisfy(s -> assertThat(String.valueOf(s.get("study_date"))).isIn("2024-01-02", "2024-03-02"));
    }
  }

  private static Path knee(Path file, String study, String date, String burnedIn) throws Exception {
    AttributeList list = TestDicom.fromPng(ReviewServerIT.firstKnee());
    TestDicom.put(list,
        TagFromName.SOPInstanceUID, study + ".1.1",
        TagFromName.StudyInstanceUID, study,
        TagFromName.PatientID, "MRN-0042",
        TagFromName.PatientName, "DOE^JOHN",
        TagFromName.StudyDate, date,
        TagFromName.StudyDescription, "KNEE PA for DOE JOHN, Dr Smith",
        TagFromName.BurnedInAnnotation, burnedIn);
    if (date.endsWith("0302")) {
      // Not the same pixels as the first film: a duplicate would be stored once.
      short[] pixels = list.get(TagFromName.PixelData).getShortValues();
      pixels[0] ^= 1;
      TestDicom.withPixels(list, pixels);
    }
    return TestDicom.write(list, file);
  }
}
