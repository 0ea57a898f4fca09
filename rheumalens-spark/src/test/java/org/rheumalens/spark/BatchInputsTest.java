package org.rheumalens.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputsTest {

  @Test
  void aFolderIsWalkedSortedWithAbsolutePaths(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("b/2.png"), "x");
    Files.writeString(dir.resolve("a.png"), "x");
    Files.writeString(dir.resolve("b/1.dcm"), "x");

    assertThat(BatchInputs.list(dir)).containsExactly(dir.resolve("a.png").toString(),
        dir.resolve("b/1.dcm").toString(), dir.resolve("b/2.png").toString());
  }

  @Test
  void aManifestsImagesAreRelativeToItAndMissingOnesStayListed(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("m.csv"), "patient,image\nP1,scans/one.png\nP2,\"with, comma.png\"\n"
        + "P3,/elsewhere/abs.png\n");

    // Missing files are listed all the same: they become error rows, not a failed job.
    assertThat(BatchInputs.list(csv)).containsExactly(dir.resolve("scans/one.png").toString(),
        dir.resolve("with, comma.png").toString(), "/elsewhere/abs.png");
  }

  @Test
  void aManifestWithoutAnImageColumnOrAnythingElseIsRefusedWithTheCause(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("m.csv"), "path,grade\na.png,1\n");
    Path text = Files.writeString(dir.resolve("list.txt"), "a.png\n");

    assertThatThrownBy(() -> BatchInputs.list(csv)).hasMessageContaining("no column 'image'");
    assertThatThrownBy(() -> BatchInputs.list(text)).hasMessageContaining("not a folder or a CSV manifest");
    assertThat(List.of(csv, text)).allMatch(Files::exists);
  }
}
