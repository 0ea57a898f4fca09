package org.rheumalens.server.ingest;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.dicom.deid.Action;
import org.rheumalens.dicom.deid.BurnedInText;
import org.rheumalens.dicom.deid.ConfidentialityProfile;
import org.rheumalens.dicom.deid.DateShift;
import org.rheumalens.dicom.deid.Deidentifier;
import org.rheumalens.imaging.Radiograph;

/**
 * What the store keeps of a source's header, decided by the same PS3.15 profile as {@code rheumalens deid}, under the
 * review app's options: Modified Dates (a patient's dates shift back by their own 1-365 days, keyed by the site's
 * pseudonym key, so progression intervals stay true) and Patient Characteristics (sex). Free-text descriptions are
 * not kept; the birth year is (a year alone identifies no one and the profile's age would be derived from it anyway).
 */
final class KeptHeader {

  static final ConfidentialityProfile.Options OPTIONS = new ConfidentialityProfile.Options(false, true, true);

  private KeptHeader() {}

  /** The study date the store keeps: the source's as the profile treats StudyDate (shifted under Modified Dates). */
  static LocalDate studyDate(SourceMetadata meta, Pseudonyms pseudonyms) {
    return switch (action(TagFromName.StudyDate)) {
      case K -> meta.studyDate();
      case C -> DateShift.shift(meta.studyDate(), pseudonyms.dateShiftDays(meta.patientId()));
      default -> null;
    };
  }

  static String description(SourceMetadata meta) {
    return action(TagFromName.StudyDescription) == Action.K ? meta.description() : null;
  }

  static String sex(SourceMetadata meta) {
    return action(TagFromName.PatientSex) == Action.K ? meta.sex() : null;
  }

  /**
   * What a person must check by eye before the image is shared, or null: the header's Burned In Annotation and the
   * pixels' own evidence of text along the edges.
   */
  static String phiWarning(Path file, Radiograph radiograph) {
    List<String> warnings = new ArrayList<>();
    if (radiograph.format().startsWith("DICOM")) {
      AttributeList header = new AttributeList();
      try {
        header.read(file.toString(), TagFromName.PixelData);
        warnings.addAll(Deidentifier.burnedInAnnotation(header));
      } catch (java.io.IOException | DicomException e) {
        // The reader has already decoded this file; a header it cannot read again has nothing more to say.
      }
    }
    BurnedInText.Finding text = BurnedInText.check(radiograph);
    if (text.textLike()) {
      warnings.add("burned_in_text: " + text.longestRow() + " character-like marks in a row along the image edge");
    }
    String joined = String.join("; ", warnings);
    return joined.isEmpty() ? null : joined.substring(0, Math.min(1000, joined.length()));
  }

  private static Action action(AttributeTag tag) {
    return ConfidentialityProfile.action(tag, OPTIONS);
  }
}
