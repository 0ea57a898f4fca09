package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.DicomTools;
import org.rheumalens.testing.SharedData;
import org.rheumalens.testing.TestDicom;

/**
 * {@code grade --dicom-out}: a knee film sent as DICOM comes back as a structured report and a heatmap capture in its
 * own study, judged by PixelMed, dcmtk and dicom3tools; a film the model refuses still gets a report saying so.
 */
class DicomOutIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
  private static final String KNEE_SOP = "1.2.826.0.1.3680043.8.498.1.1.1";

  @Test
  void writesAReportAndHeatmapForEachDicomInput(@TempDir Path dir) throws Exception {
    Path inputs = Files.createDirectories(dir.resolve("in"));
    Path knee = kneeAsDicom(GradeCommandIT.firstKnee(), inputs.resolve("a-knee.dcm"));
    Files.copy(SharedData.dicom("radiographs/RG2_JPLL.dcm"), inputs.resolve("b-hip.dcm"));
    Files.copy(GradeCommandIT.firstKnee(), inputs.resolve("c-plain.png"));
    Path out = dir.resolve("dicom-out");

    CliRun run = CliRun.of("grade", "--json", "--dicom-out", out.toString(), inputs.toString());

    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).as(run.out() + run.err()).hasSize(3);
    JsonNode graded = lines.get(0);
    assertThat(graded.has("grade")).as(graded.toString()).isTrue();
    String label = "KL" + graded.get("grade").asInt();
    Path sr = Path.of(graded.at("/explanations/dicom_sr").asText());
    Path sc = Path.of(graded.at("/explanations/dicom_heatmap").asText());
    assertThat(sr).exists().hasFileName("a-knee.sr.dcm");
    assertThat(sc).exists().hasFileName("a-knee.heatmap.dcm");
    assertThat(lines.get(2).at("/explanations/dicom_sr").isMissingNode()).as("a PNG has no study to go back to").isTrue();

    for (Path file : List.of(sr, sc)) {
      DicomTools.Run verify = DicomTools.run("dciodvfy", file);
      assertThat(verify.errors()).as(file + "\n" + verify.output()).isEmpty();
    }
    DicomTools.Run dump = DicomTools.run("dsrdump", sr);
    assertThat(dump.exitCode()).as(dump.output()).isZero();
    assertThat(dump.errors()).as(dump.output()).isEmpty();

    AttributeList report = read(sr);
    AttributeList capture = read(sc);
    AttributeList source = read(knee);
    for (AttributeList derived : List.of(report, capture)) {
      assertThat(text(derived, TagFromName.StudyInstanceUID)).isEqualTo(STUDY);
      assertThat(text(derived, TagFromName.PatientID)).isEqualTo("OAI-9000099");
      assertThat(text(derived, TagFromName.PatientName)).isEqualTo("TEST^KNEE");
      assertThat(text(derived, TagFromName.SeriesInstanceUID)).isNotEqualTo(text(source, TagFromName.SeriesInstanceUID));
    }
    assertThat(text(report, TagFromName.SeriesInstanceUID)).isNotEqualTo(text(capture, TagFromName.SeriesInstanceUID));
    assertThat(text(report, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.88.33");
    assertThat(text(capture, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
    assertThat(referencedInstance(capture, TagFromName.SourceImageSequence)).isEqualTo(KNEE_SOP);

    String tree = new StructuredReport(report).toString();
    assertThat(tree).contains("IMAGE:  = 1.2.840.10008.5.1.4.1.1.1.1 : " + KNEE_SOP)
        .contains("Heatmap overlay = 1.2.840.10008.5.1.4.1.1.7 : " + text(capture, TagFromName.SOPInstanceUID))
        .contains(": kl = " + label)
        .contains("Reader review = Not reviewed by a reader")
        .contains("Algorithm Name = knee-kl");
    assertThat(number(tree, "Confidence (calibrated probability of the result)"))
        .isCloseTo(graded.get("confidence").asDouble(), within(1e-6));
    for (int k = 0; k < 5; k++) {
      assertThat(number(tree, "Probability of KL" + k)).as("KL" + k)
          .isCloseTo(graded.get("probabilities").get(k).asDouble(), within(1e-6));
    }
    // The side comes from the film's Image Laterality (the file name has none), the scale from its Pixel Spacing.
    JsonNode jsw = graded.get("measurements");
    assertThat(jsw.get("side").asText()).isEqualTo("L");
    assertThat(number(tree, "Minimum joint space width, medial"))
        .isCloseTo(jsw.get("jsw_medial_mm").asDouble(), within(1e-6));
    assertThat(tree).containsPattern("Minimum joint space width, medial = [0-9.]+ millimeter");
    assertThat(tree).contains(graded.get("needs_review").asBoolean() ? "Needs review by a reader = Yes"
        : "Needs review by a reader = No");

    JsonNode refused = lines.get(1);
    assertThat(refused.has("grade")).isFalse();
    Path hipReport = Path.of(refused.at("/explanations/dicom_sr").asText());
    assertThat(refused.at("/explanations/dicom_heatmap").isMissingNode()).isTrue();
    String hipTree = new StructuredReport(read(hipReport)).toString();
    assertThat(hipTree).contains("Not graded = " + refused.get("message").asText()).contains("Needs review by a reader = Yes");
    assertThat(DicomTools.run("dciodvfy", hipReport).errors()).isEmpty();
  }

  @Test
  void refusesDicomOutputForARegionStage(@TempDir Path dir) {
    CliRun run = CliRun.of("grade", "--dicom-out", dir.toString(), "--regions", dir.toString(), dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--dicom-out writes grading results only");
  }

  /** A knee crop as a DX film from a modality: patient, study and series, 0.2 mm pixels, left knee. */
  static Path kneeAsDicom(Path png, Path file) throws Exception {
    return kneeAsDicom(png, file, KNEE_SOP, STUDY + ".1", "L");
  }

  /** The same patient and study; another instance, series and side. */
  static Path kneeAsDicom(Path png, Path file, String sop, String series, String side) throws Exception {
    AttributeList list = TestDicom.fromPng(png);
    TestDicom.put(list,
        TagFromName.SOPInstanceUID, sop,
        TagFromName.StudyInstanceUID, STUDY,
        TagFromName.SeriesInstanceUID, series,
        TagFromName.PatientName, "TEST^KNEE",
        TagFromName.PatientID, "OAI-9000099",
        TagFromName.StudyDate, "20240102",
        TagFromName.ImageLaterality, side,
        TagFromName.PixelSpacing, "0.2");
    list.get(TagFromName.PixelSpacing).addValue("0.2");
    return TestDicom.write(list, file);
  }

  /**
   * The value of the SR's numeric item {@code name}. Compared within 1e-6, not as text: the SR keeps 6 significant
   * digits of the float, the JSON the float itself, and a value on a rounding edge (0.01001875) rounds either way.
   */
  private static double number(String tree, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + " = (-?[0-9.Ee+-]+)").matcher(tree);
    assertThat(m.find()).as(name + " in\n" + tree).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list;
  }

  private static String referencedInstance(AttributeList list, AttributeTag sequence) {
    AttributeList item = ((SequenceAttribute) list.get(sequence)).getItem(0).getAttributeList();
    return text(item, TagFromName.ReferencedSOPInstanceUID);
  }

  private static String text(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
