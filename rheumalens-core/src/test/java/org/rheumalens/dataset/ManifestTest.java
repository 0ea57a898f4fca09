package org.rheumalens.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.tasks.TaskDefinition;

class ManifestTest {

  private static final TaskDefinition TASK = new TaskDefinition("t", "t", "s", "US", null,
      List.of(new TaskDefinition.Output("synovitis", TaskDefinition.Kind.ORDINAL, "grade", List.of("0", "1", "2", "3"), null)),
      null, null, null, null, null, null);

  @Test
  void readsRowsWithPathsRelativeToTheCsvQuotedFieldsAndOtherColumns(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("img"));
    Files.write(dir.resolve("img/a.png"), new byte[] {1});
    Files.write(dir.resolve("img/b, c.png"), new byte[] {1});
    Path csv = Files.writeString(dir.resolve("m.csv"),
        "\uFEFFimage,grade,patient,centre,note\r\nimg/a.png,2,P1,Leeds,\"says \"\"hi\"\", twice\"\r\n\"img/b, c.png\",3.0,,Oslo,\r\n\r\n");
    Manifest m = Manifest.read(csv, TASK);
    assertThat(m.rows()).hasSize(2);
    assertThat(m.attributeColumns()).containsExactly("centre", "note");
    ManifestRow first = m.rows().get(0);
    assertThat(first.row()).isEqualTo(2);
    assertThat(first.image()).isEqualTo(dir.resolve("img/a.png").toAbsolutePath().normalize());
    assertThat(first.attributes()).containsEntry("note", "says \"hi\", twice").containsEntry("centre", "Leeds");
    assertThat(first.patientKey()).isEqualTo("patient:P1");
    assertThat(m.rows().get(1).patientKey()).isEqualTo("row:3");
    assertThat(m.labelled(TASK.primary())).extracting(l -> l.grade()).containsExactly(2, 3);
  }

  @Test
  void everyBadRowIsReportedWithItsNumber(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("a.png"), new byte[] {1});
    Path csv = Files.writeString(dir.resolve("m.csv"), "image,grade\na.png,1\nb.png,2\na.png,4\na.png,\n,1\n");
    assertThatThrownBy(() -> Manifest.read(csv, TASK))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("4 problems")
        .hasMessageContaining("row 3: image file b.png not found")
        .hasMessageContaining("row 4: \"grade\" is \"4\", not one of the task's classes [0, 1, 2, 3]")
        .hasMessageContaining("row 5: \"grade\" is empty")
        .hasMessageContaining("row 6: empty \"image\"");
    Path noColumn = Files.writeString(dir.resolve("n.csv"), "file,grade\na.png,1\n");
    assertThatThrownBy(() -> Manifest.read(noColumn, TASK)).hasMessageContaining("no \"image\" column");
  }

  @Test
  void spreadsheetExportsReadTooSemicolonsWindowsPathsAndLatin1(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("img"));
    Files.write(dir.resolve("img/a.png"), new byte[] {1});
    byte[] latin1 = "image;grade;centre\r\nimg\\a.png;1;Malm\u00f6\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Path csv = Files.write(dir.resolve("m.csv"), latin1);
    Manifest m = Manifest.read(csv, TASK);
    assertThat(m.rows()).hasSize(1);
    assertThat(m.rows().get(0).image()).isEqualTo(dir.resolve("img/a.png").toAbsolutePath().normalize());
    assertThat(m.rows().get(0).attributes()).containsEntry("centre", "Malm\u00f6");
    Path tabs = Files.writeString(dir.resolve("t.csv"), "image\tgrade\nimg/a.png\t3\n");
    assertThat(Manifest.read(tabs, TASK).labelled(TASK.primary()).get(0).grade()).isEqualTo(3);
  }

  @Property(tries = 60)
  void theHeldOutSplitNeverSharesAPatientAndHoldsAboutItsShare(@ForAll @IntRange(min = 20, max = 300) int patients,
      @ForAll @IntRange(min = 1, max = 4) int perPatient, @ForAll long seed) {
    List<ManifestRow> rows = new java.util.ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int row = 2;
    for (int p = 0; p < patients; p++) {
      int images = 1 + random.nextInt(perPatient);
      for (int k = 0; k < images; k++) {
        rows.add(new ManifestRow(row++, Path.of("x" + row), java.util.Map.of("g", Integer.toString(random.nextInt(4))),
            "P" + p, java.util.Map.of()));
      }
    }
    PatientSplit.Split split = PatientSplit.holdOut(rows, 0.15, seed, r -> Integer.parseInt(r.labels().get("g")), 4);
    Set<String> trainPatients = new HashSet<>();
    split.train().forEach(r -> trainPatients.add(r.patient()));
    assertThat(split.heldOut()).noneMatch(r -> trainPatients.contains(r.patient()));
    assertThat(split.train().size() + split.heldOut().size()).isEqualTo(rows.size());
    double share = split.heldOut().size() / (double) rows.size();
    assertThat(share).isBetween(0.05, 0.25);
    PatientSplit.Split again = PatientSplit.holdOut(rows, 0.15, seed, r -> Integer.parseInt(r.labels().get("g")), 4);
    assertThat(again.heldOut()).isEqualTo(split.heldOut());
  }
}
