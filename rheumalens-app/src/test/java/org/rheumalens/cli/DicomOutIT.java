package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
        .contains("Confidence (calibrated probability of the result) = " + trim(graded.get("confidence").floatValue()))
        .contains("Reader review = Not reviewed by a reader")
        .contains("Algorithm Name = knee-kl");
    for (int k = 0; k < 5; k++) {
      assertThat(tree)
          .contains("Probability of KL" + k + " = " + trim(graded.get("probabilities").get(k).floatValue()));
    }
    // The side comes from the film's Image Laterality (the file name has none), the scale from its Pixel Spacing.
    JsonNode jsw = graded.get("measurements");
    assertThat(jsw.get("side").asText()).isEqualTo("L");
    assertThat(tree).contains("Minimum joint space width, medial = " + trim(jsw.get("jsw_medial_mm").asDouble())
        + " millimeter");
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
   * A value as the report writes it: six significant digits. Probabilities and confidence are floats; read back from
   * the JSON as floats, so that one on a rounding edge (0.01001875f) rounds as the report rounded it.
   */
  private static String trim(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
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
