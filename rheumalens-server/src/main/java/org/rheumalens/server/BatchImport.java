package org.rheumalens.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.io.InputFiles;
import org.rheumalens.server.ingest.ImageArchive;
import org.rheumalens.server.ingest.Importer;
import org.rheumalens.server.ingest.Pseudonyms;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Database;
import org.rheumalens.tasks.GradingTask;

/**
 * {@code rheumalens import}: ingests files and folders into the review store from the command line. On PostgreSQL a
 * running server's AI worker picks the new images up from the queue; the embedded H2 file is one process's at a time,
 * so there the import is refused while a server has the folder open.
 */
public final class BatchImport {

  public record Summary(int imported, int duplicates, int rejected) {}

  private BatchImport() {}

  /** Imports {@code inputs} for {@code task} (read with its colour handling; the server grades them with its model). */
  public static Summary run(ServerConfig config, List<Path> inputs, String patient, GradingTask task, PrintWriter out)
      throws IOException {
    Files.createDirectories(config.dataDir());
    try (Database database = config.openDatabase()) {
      AuditLog audit = new AuditLog(database.jdbi(), database::sync);
      Importer importer = new Importer(new CaseStore(database.jdbi()), audit,
          new ImageArchive(config.dataDir().resolve("images")), Pseudonyms.forDataDir(config.dataDir()),
          config.dataDir().resolve("incoming"));
      int imported = 0;
      int duplicates = 0;
      int rejected = 0;
      for (Path file : InputFiles.expand(inputs)) {
        try {
          Importer.Imported r = importer.importFile(file, patient, task, null);
          out.printf("%s  image %d  patient %s%s%n", file, r.imageId(), r.patient(), r.duplicate() ? "  (already stored)" : "");
          if (r.duplicate()) {
            duplicates++;
          } else {
            imported++;
          }
        } catch (ImageReadException e) {
          out.println("REJECTED " + e.getMessage());
          rejected++;
        } catch (java.nio.file.NoSuchFileException e) {
          out.println("REJECTED " + file + ": no such file");
          rejected++;
        }
      }
      out.printf("%d imported, %d already stored, %d rejected; queued for the AI (task %s)%n", imported, duplicates,
          rejected, task.id());
      return new Summary(imported, duplicates, rejected);
    }
  }

}
