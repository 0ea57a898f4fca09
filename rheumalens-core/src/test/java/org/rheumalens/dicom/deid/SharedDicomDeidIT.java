package org.rheumalens.dicom.deid;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.TagFromName;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.testing.DicomTools;
import org.rheumalens.testing.SharedData;

/**
 * Every real DICOM file in the shared data through the profile, judged by dcmtk's dcmdump: nothing the profile removes
 * or empties survives, at any depth, no private attribute is left, UIDs stay consistent within a study (and across
 * files of the same instance), pixel data are byte for byte the same, and the project's reader reads every copy.
 */
class SharedDicomDeidIT {

  /** dcmdump's line: "(0010,0010) PN [DOE^JOHN]   #   8, 1 PatientName". */
  private static final Pattern LINE = Pattern.compile("^\\s*\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\w\\w) (.*?)\\s+#\\s*\\d+,");

  @Test
  void noRemovedAttributeSurvivesAndUidsStayConsistent(@TempDir Path dir) throws Exception {
    List<Path> files = dicomFiles(SharedData.data("dicom"));
    assertThat(files).hasSizeGreaterThan(30);
    UidMap uids = new UidMap();
    Deidentifier deid = new Deidentifier(ConfidentialityProfile.Options.BASIC, uids);
    Map<String, Set<String>> studies = new HashMap<>();
    Map<String, Set<String>> series = new HashMap<>();
    List<String> problems = new ArrayList<>();
    int warned = 0;
    for (int i = 0; i < files.size(); i++) {
      Path in = files.get(i);
      AttributeList source = read(in);
      Deidentifier.Outcome outcome = deid.deidentify(in, dir.resolve(i + ".dcm"));
      warned += outcome.warnings().isEmpty() ? 0 : 1;
      studies.computeIfAbsent(text(source, TagFromName.StudyInstanceUID), k -> new HashSet<>()).add(outcome.studyInstanceUid());
      series.computeIfAbsent(text(source, TagFromName.SeriesInstanceUID), k -> new HashSet<>()).add(outcome.seriesInstanceUid());

      DicomTools.Run dump = DicomTools.run("dcmdump", outcome.output(), "-q", "+L");
      assertThat(dump.exitCode()).as(dump.output()).isZero();
      Set<String> dumped = new HashSet<>();
      for (String line : dump.output().lines().toList()) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
          continue;
        }
        AttributeTag tag = new AttributeTag(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
        String value = m.group(4);
        dumped.add(value);
        Action action = ConfidentialityProfile.action(tag, ConfidentialityProfile.Options.BASIC);
        boolean empty = value.startsWith("(no value") || value.equals("[]") || value.startsWith("(Sequence with explicit length #=0")
            || value.startsWith("(Sequence with undefined length #=0");
        boolean pseudonym = value.startsWith("[ANON-");
        if (action == Action.X) {
          problems.add(in.getFileName() + ": " + tag + " survived (" + line.trim() + ")");
        } else if (action == Action.Z && !empty && !pseudonym) {
          problems.add(in.getFileName() + ": " + tag + " not emptied (" + line.trim() + ")");
        } else if (action == Action.U && value.startsWith("[") && !value.startsWith("[2.25.")) {
          problems.add(in.getFileName() + ": " + tag + " not replaced (" + line.trim() + ")");
        }
      }
      // No identifying value of the source is anywhere in the copy.
      for (AttributeTag tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.StudyInstanceUID,
          TagFromName.SOPInstanceUID, TagFromName.AccessionNumber, TagFromName.InstitutionName)) {
        String original = text(source, tag);
        // (Some test files name the manufacturer as the institution: the manufacturer is kept, rightly.)
        boolean alsoKeptElsewhere = text(source, TagFromName.Manufacturer).contains(original);
        if (original.length() >= 4 && !alsoKeptElsewhere && dumped.stream().anyMatch(v -> v.contains(original))) {
          problems.add(in.getFileName() + ": the source's " + tag + " value '" + original + "' is still in the copy");
        }
      }
      AttributeList copy = read(outcome.output());
      if (!text(copy, TagFromName.PatientIdentityRemoved).equals("YES")) {
        problems.add(in.getFileName() + ": Patient Identity Removed is not YES");
      }
      if (!ByteBuffer.wrap(pixelBytes(source)).equals(ByteBuffer.wrap(pixelBytes(copy)))) {
        problems.add(in.getFileName() + ": pixel data changed");
      }
      if (!text(copy, TagFromName.TransferSyntaxUID).equals(text(source, TagFromName.TransferSyntaxUID))) {
        problems.add(in.getFileName() + ": transfer syntax changed");
      }
      try {
        Radiograph image = RadiographReader.standard(ColourHandling.TO_GREY).read(outcome.output());
        assertThat(image.width()).isEqualTo(Attribute.getSingleIntegerValueOrDefault(source, TagFromName.Columns, -1));
      } catch (org.rheumalens.imaging.ImageReadException e) {
        problems.add(in.getFileName() + ": the de-identified copy is unreadable: " + e.getMessage());
      }
    }
    assertThat(problems).isEmpty();
    studies.forEach((study, mapped) -> assertThat(mapped).as("study " + study).hasSize(1));
    series.forEach((s, mapped) -> assertThat(mapped).as("series " + s).hasSize(1));
    assertThat(uids.uids().values()).doesNotHaveDuplicates();
    System.out.printf("de-identified %d shared DICOM files in %d studies; %d with burned-in warnings%n", files.size(),
        studies.size(), warned);
  }

  static List<Path> dicomFiles(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(SharedDicomDeidIT::isDicom).sorted().toList();
    }
  }

  private static boolean isDicom(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && new String(head, 128, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("DICM");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The stored pixel data as bytes, compressed frames as they are. */
  private static byte[] pixelBytes(AttributeList list) throws Exception {
    Attribute pixels = list.get(TagFromName.PixelData);
    if (pixels instanceof OtherByteAttributeMultipleCompressedFrames frames) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (byte[] frame : frames.getFrames()) {
        out.write(frame);
      }
      return out.toByteArray();
    }
    if (pixels.getVRAsString().equals("OW")) {
      short[] s = pixels.getShortValues();
      ByteBuffer b = ByteBuffer.allocate(2 * s.length);
      b.asShortBuffer().put(s);
      return b.array();
    }
    return pixels.getByteValues();
  }

  private static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.setDecompressPixelData(false);
    list.read(file.toFile());
    return list;
  }

  private static String text(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }
}
