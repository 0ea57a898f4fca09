package org.rheumalens.dicom.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.dicom.SourceImage;
import org.rheumalens.testing.DicomTools;
import org.rheumalens.testing.TestDicom;

/** The structured report and heatmap capture, read back by PixelMed and judged by dcmtk and dicom3tools. */
class MeasurementReportTest {

  static final ReportContent.ModelIdentity MODEL = new ReportContent.ModelIdentity("knee-kl-resnet18", "1.4.0",
      "a".repeat(64));

  @Test
  void aGradedKneeBecomesAValidReportAndCaptureInTheSourceStudy(@TempDir Path dir) throws Exception {
    Path sourceFile = source(dir);
    SourceImage source = SourceImage.read(sourceFile);
    BufferedImage overlay = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    overlay.setRGB(5, 7, 0x123456);
    WrittenObject sc = HeatmapCapture.write(source, overlay, "Grad-CAM for KL3", MODEL, dir.resolve("heatmap.dcm"));
    WrittenObject sr = MeasurementReport.write(source, content(ReportContent.ReaderReview.NOT_REVIEWED), sc,
        dir.resolve("report.dcm"));

    for (Path written : List.of(sr.file(), sc.file())) {
      DicomTools.Run verify = DicomTools.run("dciodvfy", written);
      assertThat(verify.errors()).as(verify.output()).isEmpty();
    }
    DicomTools.Run dump = DicomTools.run("dsrdump", sr.file(), "-Ee");
    assertThat(dump.exitCode()).as(dump.output()).isZero();
    assertThat(dump.errors()).as(dump.output()).isEmpty();
    assertThat(dump.output()).contains("Imaging Measurement Report", "KL3", "Probability of KL3", "0.62", "mm",
        "Not reviewed by a reader", "knee-kl-resnet18", "low_confidence");

    AttributeList read = new AttributeList();
    read.read(sr.file().toFile());
    assertThat(text(read, TagFromName.StudyInstanceUID)).isEqualTo("1.2.826.0.1.3680043.2.1125.1");
    assertThat(text(read, TagFromName.PatientName)).isEqualTo("DOE^JANE");
    assertThat(text(read, TagFromName.PatientID)).isEqualTo("MRN-0001");
    assertThat(text(read, TagFromName.SeriesInstanceUID)).isNotEqualTo(source.seriesInstanceUid()).startsWith("2.25.");
    assertThat(text(read, TagFromName.VerificationFlag)).isEqualTo("UNVERIFIED");
    String tree = new StructuredReport(read).toString();
    assertThat(tree).contains(source.sopInstanceUid(), sc.sopInstanceUid(), "Minimum joint space width, medial",
        "2.81", "millimeter", "Needs review by a reader").contains("Yes");

    AttributeList capture = new AttributeList();
    capture.read(sc.file().toFile());
    assertThat(text(capture, TagFromName.StudyInstanceUID)).isEqualTo(source.studyInstanceUid());
    assertThat(text(capture, TagFromName.SeriesInstanceUID)).isNotIn(source.seriesInstanceUid(), sr.seriesInstanceUid());
    assertThat(Attribute.getSingleIntegerValueOrDefault(capture, TagFromName.Columns, 0)).isEqualTo(40);
    byte[] pixels = capture.get(TagFromName.PixelData).getByteValues();
    int i = 3 * (7 * 40 + 5);
    assertThat(new int[] {pixels[i] & 0xff, pixels[i + 1] & 0xff, pixels[i + 2] & 0xff}).containsExactly(0x12, 0x34, 0x56);
  }

  @Test
  void aReaderDecisionNeedsAReview(@TempDir Path dir) throws Exception {
    SourceImage source = SourceImage.read(source(dir));
    assertThatThrownBy(() -> MeasurementReport.writeReaderDecision(source,
        content(ReportContent.ReaderReview.NOT_REVIEWED), List.of(), dir.resolve("x.dcm")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReaderWhoChangedTheGradeIsTheVerifyingObserver(@TempDir Path dir) throws Exception {
    SourceImage source = SourceImage.read(source(dir));
    var review = new ReportContent.ReaderReview(ReportContent.ReaderReview.Status.CHANGED, "KL2", "Reader One", "reader1",
        Instant.parse("2026-11-29T10:15:30Z"), "osteophytes doubtful");
    var aiReport = new MeasurementReport.Predecessor("1.2.3.4.5", "1.2.3.4.5.6");
    WrittenObject sr = MeasurementReport.writeReaderDecision(source, content(review), List.of(aiReport),
        dir.resolve("signed.dcm"));

    DicomTools.Run verify = DicomTools.run("dciodvfy", sr.file());
    assertThat(verify.errors()).as(verify.output()).isEmpty();
    DicomTools.Run dump = DicomTools.run("dsrdump", sr.file());
    assertThat(dump.errors()).as(dump.output()).isEmpty();
    assertThat(dump.output()).contains("Changed by a reader", "Reader's result", "KL2", "osteophytes doubtful",
        "Reader One");
    AttributeList read = new AttributeList();
    read.read(sr.file().toFile());
    assertThat(text(read, TagFromName.VerificationFlag)).isEqualTo("VERIFIED");
    assertThat(text(read, TagFromName.SeriesNumber)).isEqualTo("9903");
    assertThat(dump.output()).contains("Person Observer's Login Name", "reader1");
    var predecessors = (com.pixelmed.dicom.SequenceAttribute) read.get(TagFromName.PredecessorDocumentsSequence);
    assertThat(predecessors.toString()).contains("1.2.3.4.5.6").contains(source.studyInstanceUid());
  }

  static ReportContent content(ReportContent.ReaderReview review) {
    Map<String, Double> p = new LinkedHashMap<>();
    double[] values = {0.01, 0.04, 0.2, 0.62, 0.13};
    for (int k = 0; k < values.length; k++) {
      p.put("KL" + k, values[k]);
    }
    return new ReportContent("knee-kl", "Knee osteoarthritis (Kellgren-Lawrence)",
        List.of(new ReportContent.Output("kl", "KL3", null), new ReportContent.Output("jsn-score", null, 1.5)), p, 0.62,
        true, List.of("low_confidence"),
        List.of(new ReportContent.Measurement("jsw-medial", "Minimum joint space width, medial", 2.81, "mm", "millimeter")),
        null, MODEL, review);
  }

  /** A DX knee with a full patient and study module, as a modality would send it. */
  static Path source(Path dir) throws Exception {
    AttributeList list = TestDicom.header("1.2.840.10008.5.1.4.1.1.1.1", 8, 8, "MONOCHROME2");
    TestDicom.put(list,
        TagFromName.PatientName, "DOE^JANE",
        TagFromName.PatientID, "MRN-0001",
        TagFromName.PatientBirthDate, "19500101",
        TagFromName.PatientSex, "F",
        TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.2.1125.1",
        TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.2.1125.2",
        TagFromName.StudyDate, "20240102",
        TagFromName.AccessionNumber, "ACC42");
    return TestDicom.write(TestDicom.withPixels(list, new short[64]), dir.resolve("source.dcm"));
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
