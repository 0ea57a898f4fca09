package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.testing.BadInputCorpus;

/**
 * {@code rheumalens import} over the generated bad-input corpus: the importer copies a file before reading it, so a
 * link to /dev/zero must be refused unopened (else the copy never ends); every other input is imported or rejected
 * with its cause, as the reader decides.
 */
class BadInputImportIT {

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyInputIsImportedOrRejectedAndDeviceLinksAreNeverOpened() throws Exception {
    Path folder = dir.resolve("corpus");
    List<BadInputCorpus.Input> corpus = BadInputCorpus.write(folder);
    CliRun run = CliRun.of("import", "--data", dir.resolve("data").toString(), folder.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(GradeCommand.SOME_INPUTS_FAILED);
    RadiographReader reader = RadiographReader.standard();
    // Unreadable files, and DICOM files of another modality than the knee task's (CT, MR).
    long refused = corpus.stream().filter(i -> i.refusedBy(reader) || i.wrongModalityFor(reader, "XR")).count();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("REJECTED "))).hasSize((int) refused);
    for (BadInputCorpus.Input input : corpus) {
      // An imported file is named by its path; a rejected one by its name, as an upload is (or its path, when unopened).
      String file = input.file().toString();
      String name = input.file().getFileName().toString();
      assertThat(lines).as(input.kind()).filteredOn(l -> l.startsWith(file + "  ")
          || l.startsWith("REJECTED " + name + ": ") || l.startsWith("REJECTED " + file + ": ")).hasSize(1);
    }
    assertThat(lines).contains("REJECTED " + folder.resolve("link-to-zero.png")
        + ": not a readable file: a device, pipe or socket (a link to one)");
  }
}
