package org.rheumalens.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Database;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskBuilder;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.testing.SharedData;

/** The review store keeps one grey plane per image: an upload for a colour (3-channel) task is refused, not greyed. */
class ColourTaskImportIT {

  @Test
  void anUploadForAColourTaskIsRefusedWithTheReasonAndNothingIsStored(@TempDir Path dir) throws Exception {
    GradingTask colour = TaskBuilder.build(new ObjectMapper().readValue("{\"id\":\"us-doppler\",\"title\":\"t\","
        + "\"subject\":\"joint ultrasound\",\"modality\":\"US\",\"input\":{\"channels\":3},"
        + "\"outputs\":[{\"name\":\"flow\",\"kind\":\"binary\"}]}", TaskDefinition.class));
    Path image = SharedData.dicom("codec-variety/US1_UNCR.dcm");
    try (Database db = Database.embedded(dir)) {
      ImageArchive archive = new ImageArchive(dir.resolve("images"));
      Importer importer = new Importer(new CaseStore(db.jdbi()), new AuditLog(db.jdbi(), db::sync), archive,
          Pseudonyms.forDataDir(dir), Files.createDirectories(dir.resolve("incoming")));
      assertThatThrownBy(() -> importer.importFile(image, null, colour, null))
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining("task us-doppler reads colour (input.channels 3)")
          .hasMessageContaining("rheumalens grade --model DIR FILE");
      try (var stored = Files.walk(dir.resolve("images"))) {
        assertThat(stored.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }
}
