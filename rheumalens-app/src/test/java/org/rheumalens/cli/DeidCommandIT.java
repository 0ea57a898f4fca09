package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.SharedData;

/** {@code rheumalens deid} as a user runs it: files named by new UIDs, the map kept apart, bad inputs named. */
class DeidCommandIT {

  @Test
  void deidentifiesFilesAndKeepsTheUidMapOutsideTheOutput(@TempDir Path dir) throws Exception {
    Path inputs = Files.createDirectories(dir.resolve("in"));
    // Two encodings of one instance, an ultrasound with text burned in, and a file that is not DICOM.
    Files.copy(SharedData.dicom("radiographs/RG2_JLSL.dcm"), inputs.resolve("DOE_JOHN_MRN-0001_a.dcm"));
    Files.copy(SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm"), inputs.resolve("DOE_JOHN_MRN-0001_b.dcm"));
    Files.copy(SharedData.dicom("codec-variety/US1_UNCR.dcm"), inputs.resolve("echo.dcm"));
    Files.writeString(inputs.resolve("notes.txt"), "not DICOM\n");
    Path out = dir.resolve("shared-out");

    CliRun run = CliRun.of("deid", inputs.toString(), "--out", out.toString(), "--keep-dates");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("notes.txt: not a DICOM file").contains("3 of 4 files de-identified, 1 with warnings");
    assertThat(run.out()).contains("WARNING burned_in_text");
    List<Path> written;
    try (Stream<Path> list = Files.list(out)) {
      written = list.sorted().toList();
    }
    assertThat(written).hasSize(3).allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("2.25.")
        .doesNotContain("DOE"));
    assertThat(written.stream().filter(p -> p.getFileName().toString().endsWith("-2.dcm"))).as("the twin kept").hasSize(1);
    Path map = dir.resolve("shared-out.uid-map.csv");
    assertThat(map).exists();
    assertThat(Files.getPosixFilePermissions(map)).containsOnly(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    AttributeList source = new AttributeList();
    source.read(SharedData.dicom("radiographs/RG2_JLSL.dcm").toFile(), TagFromName.PixelData);
    assertThat(Files.readString(map)).contains("uid," + Attribute.getSingleStringValueOrEmptyString(source,
        TagFromName.StudyInstanceUID).trim() + ",2.25.");
    AttributeList copy = new AttributeList();
    copy.read(written.get(0).toFile(), TagFromName.PixelData);
    assertThat(Attribute.getSingleStringValueOrEmptyString(copy, TagFromName.LongitudinalTemporalInformationModified))
        .isEqualTo("UNMODIFIED");
  }
}
