package org.rheumalens.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.io.CsvTable;
import org.rheumalens.io.InputFiles;

/** What a batch scores: every file under a folder (sorted), or the {@code image} column of a CSV manifest. */
public final class BatchInputs {

  private BatchInputs() {}

  /**
   * Absolute image paths, as executors will open them (so the folder must be one they all see). Files that are
   * missing or unreadable are listed all the same: they become error rows, not a failed job.
   */
  public static List<String> list(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new IOException(input + ": not found");
    }
    if (Files.isDirectory(input)) {
      return InputFiles.expand(List.of(input)).stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    }
    if (Manifest.isManifest(input)) {
      CsvTable table = CsvTable.read(input);
      int column = table.column(Manifest.IMAGE);
      Path folder = input.toAbsolutePath().normalize().getParent();
      List<String> images = new ArrayList<>(table.size());
      for (List<String> row : table.rows()) {
        images.add(Manifest.resolve(folder, row.size() > column ? row.get(column) : "").toString());
      }
      return images;
    }
    throw new IOException(input + ": not a folder or a CSV manifest (a .csv file with an \"" + Manifest.IMAGE
        + "\" column)");
  }
}
