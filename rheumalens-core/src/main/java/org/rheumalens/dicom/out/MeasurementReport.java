package org.rheumalens.dicom.out;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rheumalens.dicom.DicomUids;
import org.rheumalens.dicom.SourceImage;
import org.rheumalens.dicom.out.ContentItem.Code;
import org.rheumalens.dicom.out.ReportContent.ReaderReview;

/**
 * A result as a DICOM Comprehensive SR following TID 1500 (Measurement Report): the device observer (the model), the
 * source image in the image library, and one measurement group (TID 1501) with the task, every output, the class
 * probabilities, confidence, review flag and reasons, measurements in UCUM units, the algorithm's name, version and
 * card hash, whether a reader confirmed or changed it, and the heatmap's Secondary Capture. In the source's study, in a
 * series of its own. A reader's decision is the same report, verified, with the reader as a second observer and the
 * reports it follows (the AI's, an earlier decision it supersedes) as predecessor documents.
 */
public final class MeasurementReport {

  public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
  /** Series number of RheumaLens reports: apart from the modality's own series in a viewer's list. */
  static final int SERIES_NUMBER = 9901;
  /** Series number of reader decisions: beside the AI's reports, yet told apart from them. */
  static final int READER_SERIES_NUMBER = 9903;
  /** Our own concepts: "99" marks a private coding scheme (PS3.3 8.2). */
  static final String SCHEME = "99RHEUMALENS";
  /** (0040,A385): PixelMed's dictionary lacks it. */
  static final com.pixelmed.dicom.AttributeTag PERTINENT_OTHER_EVIDENCE = new com.pixelmed.dicom.AttributeTag(0x0040, 0xA385);

  private static final Code REPORT = dcm("126000", "Imaging Measurement Report");
  private static final Code LANGUAGE = dcm("121049", "Language of Content Item and Descendants");
  private static final Code ENGLISH = new Code("en-US", "RFC5646", "English (United States)");
  private static final Code OBSERVER_TYPE = dcm("121005", "Observer Type");
  private static final Code DEVICE = dcm("121007", "Device");
  private static final Code PERSON = dcm("121006", "Person");
  private static final Code PERSON_NAME = dcm("121008", "Person Observer Name");
  private static final Code PERSON_LOGIN = dcm("128774", "Person Observer's Login Name");
  private static final Code DEVICE_UID = dcm("121012", "Device Observer UID");
  private static final Code DEVICE_NAME = dcm("121013", "Device Observer Name");
  private static final Code DEVICE_MANUFACTURER = dcm("121014", "Device Observer Manufacturer");
  private static final Code DEVICE_MODEL = dcm("121015", "Device Observer Model Name");
  private static final Code PROCEDURE = dcm("121058", "Procedure reported");
  private static final Code IMAGE_LIBRARY = dcm("111028", "Image Library");
  private static final Code IMAGE_LIBRARY_GROUP = dcm("126200", "Image Library Group");
  private static final Code MEASUREMENTS = dcm("126010", "Imaging Measurements");
  private static final Code GROUP = dcm("125007", "Measurement Group");
  private static final Code TRACKING_ID = dcm("112039", "Tracking Identifier");
  private static final Code TRACKING_UID = dcm("112040", "Tracking Unique Identifier");
  private static final Code ALGORITHM_NAME = dcm("111001", "Algorithm Name");
  private static final Code ALGORITHM_VERSION = dcm("111003", "Algorithm Version");
  private static final Code ALGORITHM_PARAMETERS = dcm("111002", "Algorithm Parameters");
  private static final Code YES = new Code("373066001", "SCT", "Yes");
  private static final Code NO = new Code("373067005", "SCT", "No");
  private static final Code UNITLESS = new Code("1", "UCUM", "no units");
  private static final Code CONFIDENCE = own("confidence", "Confidence (calibrated probability of the result)");
  private static final Code NEEDS_REVIEW = own("needs-review", "Needs review by a reader");
  private static final Code REVIEW_REASON = own("review-reason", "Reason for review");
  private static final Code NOT_GRADED = own("not-graded", "Not graded");
  private static final Code READER_REVIEW = own("reader-review", "Reader review");
  private static final Code READER_RESULT = own("reader-result", "Reader's result");
  private static final Code READER_REASON = own("reader-reason", "Reader's reason");
  private static final Code HEATMAP = own("heatmap", "Heatmap overlay");

  private MeasurementReport() {}

  /** An earlier Comprehensive SR in the source's study that a report follows on from. */
  public record Predecessor(String seriesInstanceUid, String sopInstanceUid) {}

  /**
   * Writes the report on {@code source} to {@code file}; {@code heatmap} (may be null) is the Secondary Capture it
   * points to.
   */
  public static WrittenObject write(SourceImage source, ReportContent content, WrittenObject heatmap,
      Path file) throws IOException {
    try {
      return DerivedObject.write(build(source, content, heatmap, List.of(), LocalDateTime.now()), file);
    } catch (DicomException e) {
      throw new IOException(file + ": cannot build the structured report (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Writes a reader's decision on {@code source} to {@code file}: {@code content} is the AI's result as the reader saw
   * it with their review; {@code predecessors} are the AI's report and any earlier decision this one supersedes.
   */
  public static WrittenObject writeReaderDecision(SourceImage source, ReportContent content,
      List<Predecessor> predecessors, Path file) throws IOException {
    if (content.review().status() == ReaderReview.Status.NOT_REVIEWED) {
      throw new IllegalArgumentException("a reader's decision needs a reviewed result");
    }
    try {
      return DerivedObject.write(build(source, content, null, predecessors, LocalDateTime.now()), file);
    } catch (DicomException e) {
      throw new IOException(file + ": cannot build the structured report (" + e.getMessage() + ")", e);
    }
  }

  static AttributeList build(SourceImage source, ReportContent content, WrittenObject heatmap,
      List<Predecessor> predecessors, LocalDateTime now) throws DicomException {
    ReaderReview review = content.review();
    boolean verified = review.status() != ReaderReview.Status.NOT_REVIEWED;
    AttributeList list = DerivedObject.start(source, COMPREHENSIVE_SR, "SR",
        verified ? READER_SERIES_NUMBER : SERIES_NUMBER,
        verified ? "RheumaLens reader decision" : "RheumaLens AI result", content.model(), now);
    DerivedObject.put(list, TagFromName.CompletionFlag, "COMPLETE");
    DerivedObject.put(list, TagFromName.VerificationFlag, verified ? "VERIFIED" : "UNVERIFIED");
    if (verified) {
      list.put(verifyingObserver(review));
    }
    if (!predecessors.isEmpty()) {
      SequenceAttribute earlier = new SequenceAttribute(TagFromName.PredecessorDocumentsSequence);
      for (Predecessor p : predecessors) {
        earlier.addItem(DerivedObject.hierarchicalReference(source.studyInstanceUid(), p.seriesInstanceUid(),
            COMPREHENSIVE_SR, p.sopInstanceUid()));
      }
      list.put(earlier);
    }
    list.put(new SequenceAttribute(TagFromName.ReferencedPerformedProcedureStepSequence));
    list.put(new SequenceAttribute(TagFromName.PerformedProcedureCodeSequence));
    SequenceAttribute evidence = new SequenceAttribute(TagFromName.CurrentRequestedProcedureEvidenceSequence);
    evidence.addItem(DerivedObject.hierarchicalReference(source.studyInstanceUid(), source.seriesInstanceUid(),
        source.sopClassUid(), source.sopInstanceUid()));
    list.put(evidence);
    if (heatmap != null) {
      SequenceAttribute other = new SequenceAttribute(PERTINENT_OTHER_EVIDENCE);
      other.addItem(DerivedObject.hierarchicalReference(source.studyInstanceUid(), heatmap.seriesInstanceUid(),
          heatmap.sopClassUid(), heatmap.sopInstanceUid()));
      list.put(other);
    }
    list.put(codingSchemes());

    ContentItem root = ContentItem.root(list, REPORT, "1500");
    root.code("HAS CONCEPT MOD", LANGUAGE, ENGLISH);
    root.code("HAS OBS CONTEXT", OBSERVER_TYPE, DEVICE);
    ReportContent.ModelIdentity model = content.model();
    root.uid("HAS OBS CONTEXT", DEVICE_UID, DicomUids.named("rheumalens-model:" + model.cardSha256()));
    root.text("HAS OBS CONTEXT", DEVICE_NAME, model.name());
    root.text("HAS OBS CONTEXT", DEVICE_MANUFACTURER, DerivedObject.MANUFACTURER);
    root.text("HAS OBS CONTEXT", DEVICE_MODEL, model.name() + " " + model.version());
    if (verified) {
      root.code("HAS OBS CONTEXT", OBSERVER_TYPE, PERSON);
      root.personName("HAS OBS CONTEXT", PERSON_NAME, review.readerName());
      if (review.readerLogin() != null) {
        root.text("HAS OBS CONTEXT", PERSON_LOGIN, review.readerLogin());
      }
    }
    root.code("HAS CONCEPT MOD", PROCEDURE, procedure(source.modality()));
    root.container("CONTAINS", IMAGE_LIBRARY).container("CONTAINS", IMAGE_LIBRARY_GROUP)
        .image("CONTAINS", null, source.sopClassUid(), source.sopInstanceUid());

    ContentItem group = root.container("CONTAINS", MEASUREMENTS).container("CONTAINS", GROUP);
    group.text("HAS OBS CONTEXT", TRACKING_ID, content.taskId());
    group.uid("HAS OBS CONTEXT", TRACKING_UID, DicomUids.fresh());
    group.text("HAS CONCEPT MOD", ALGORITHM_NAME, model.name());
    group.text("HAS CONCEPT MOD", ALGORITHM_VERSION, model.version());
    group.text("HAS CONCEPT MOD", ALGORITHM_PARAMETERS, "model card SHA-256 " + model.cardSha256());
    if (content.notGraded() != null) {
      group.text("CONTAINS", NOT_GRADED, content.notGraded());
    }
    for (ReportContent.Output output : content.outputs()) {
      Code concept = own(output.name(), content.taskTitle() + ": " + output.name());
      if (output.label() != null) {
        group.code("CONTAINS", concept, own(output.label(), output.label()));
      } else if (output.value() != null) {
        group.num("CONTAINS", concept, output.value(), UNITLESS);
      }
    }
    for (Map.Entry<String, Double> p : content.probabilities().entrySet()) {
      group.num("CONTAINS", own("p-" + p.getKey(), "Probability of " + p.getKey()), p.getValue(), UNITLESS);
    }
    if (content.confidence() != null) {
      group.num("CONTAINS", CONFIDENCE, content.confidence(), UNITLESS);
    }
    group.code("CONTAINS", NEEDS_REVIEW, content.needsReview() ? YES : NO);
    for (String reason : content.reviewReasons()) {
      group.text("CONTAINS", REVIEW_REASON, reason);
    }
    for (ReportContent.Measurement m : content.measurements()) {
      group.num("CONTAINS", own(m.name(), m.meaning()), m.value(), new Code(m.ucum(), "UCUM", m.unitMeaning()));
    }
    group.code("CONTAINS", READER_REVIEW, switch (review.status()) {
      case NOT_REVIEWED -> own("not-reviewed", "Not reviewed by a reader");
      case CONFIRMED -> own("confirmed", "Confirmed by a reader");
      case CHANGED -> own("changed", "Changed by a reader");
    });
    if (verified) {
      group.code("CONTAINS", READER_RESULT, own(review.readerLabel(), review.readerLabel()));
      if (review.reason() != null && !review.reason().isBlank()) {
        group.text("CONTAINS", READER_REASON, review.reason());
      }
    }
    if (heatmap != null) {
      group.image("CONTAINS", HEATMAP, heatmap.sopClassUid(), heatmap.sopInstanceUid());
    }
    return list;
  }

  private static SequenceAttribute verifyingObserver(ReaderReview review) throws DicomException {
    AttributeList item = new AttributeList();
    DerivedObject.put(item, TagFromName.VerifyingObserverName, review.readerName());
    DerivedObject.put(item, TagFromName.VerifyingOrganization, DerivedObject.MANUFACTURER + " review");
    DerivedObject.put(item, TagFromName.VerificationDateTime,
        LocalDateTime.ofInstant(review.at(), java.time.ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)));
    item.put(new SequenceAttribute(TagFromName.VerifyingObserverIdentificationCodeSequence));
    SequenceAttribute seq = new SequenceAttribute(TagFromName.VerifyingObserverSequence);
    seq.addItem(item);
    return seq;
  }

  /** Declares the private scheme, so a receiver knows who answers for its codes. */
  private static SequenceAttribute codingSchemes() throws DicomException {
    AttributeList item = new AttributeList();
    DerivedObject.put(item, TagFromName.CodingSchemeDesignator, SCHEME);
    DerivedObject.put(item, TagFromName.CodingSchemeName, "RheumaLens task outputs and review states");
    DerivedObject.put(item, TagFromName.CodingSchemeResponsibleOrganization, "RheumaLens");
    SequenceAttribute seq = new SequenceAttribute(TagFromName.CodingSchemeIdentificationSequence);
    seq.addItem(item);
    return seq;
  }

  /** What was imaged, by the source's modality (SNOMED CT procedures). */
  private static Code procedure(String modality) {
    return switch (modality) {
      case "US" -> new Code("16310003", "SCT", "Ultrasonography");
      case "MR" -> new Code("113091000", "SCT", "Magnetic resonance imaging");
      case "CT" -> new Code("77477000", "SCT", "Computerized axial tomography");
      default -> new Code("363680008", "SCT", "Radiographic imaging procedure");
    };
  }

  private static Code dcm(String value, String meaning) {
    return new Code(value, "DCM", meaning);
  }

  private static Code own(String value, String meaning) {
    return new Code(value, SCHEME, meaning);
  }
}
