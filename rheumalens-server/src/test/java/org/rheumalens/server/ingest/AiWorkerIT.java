package org.rheumalens.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Database;
import org.rheumalens.server.store.StoredImage;
import org.rheumalens.testing.SharedData;

/** The AI worker outlives what goes wrong on one image, an {@link Error} included. */
class AiWorkerIT {

  @Test
  void anErrorOnOneImageDoesNotStopTheQueue(@TempDir Path dir) throws Exception {
    Path knee;
    try (var files = Files.list(SharedData.kneeKl().resolve("val/2"))) {
      knee = files.sorted().findFirst().orElseThrow();
    }
    Path second;
    try (var files = Files.list(SharedData.kneeKl().resolve("val/3"))) {
      second = files.sorted().findFirst().orElseThrow();
    }
    try (Database db = Database.embedded(dir);
        TaskModels models = TaskModels.open(List.of(ModelLocation.bundled("knee-kl")))) {
      CaseStore cases = new CaseStore(db.jdbi());
      AuditLog audit = new AuditLog(db.jdbi(), db::sync);
      ImageArchive archive = new ImageArchive(dir.resolve("images"));
      Importer importer = new Importer(cases, audit, archive, Pseudonyms.forDataDir(dir), dir.resolve("incoming"));
      long first = importer.importFile(knee, null, models.defaultTask(), null).imageId();
      long other = importer.importFile(second, null, models.defaultTask(), null).imageId();
      AtomicInteger calls = new AtomicInteger();
      // What a native failure or running out of memory on one image looks like to the worker.
      AiWorker worker = new AiWorker(cases, audit, archive, models, image -> {
        if (calls.getAndIncrement() == 0) {
          throw new StackOverflowError("simulated on image " + image.id());
        }
      });
      try {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline
            && !(done(cases, first) && done(cases, other))) {
          Thread.sleep(200);
        }
      } finally {
        worker.close();
      }
      assertThat(cases.image(first).orElseThrow().status()).as("retried after the Error").isEqualTo(StoredImage.DONE);
      assertThat(cases.image(first).orElseThrow().attempts()).isEqualTo(2);
      assertThat(cases.image(other).orElseThrow().status()).as("the next image").isEqualTo(StoredImage.DONE);
      assertThat(audit.latest(50)).anyMatch(e -> e.action().equals("ai_failed") && e.detail().contains("StackOverflowError"));
    }
  }

  private static boolean done(CaseStore cases, long id) {
    return cases.image(id).orElseThrow().status().equals(StoredImage.DONE);
  }
}
