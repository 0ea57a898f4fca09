package org.rheumalens.server.ingest;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who and what an image is about, read from the source before anything is stored: DICOM patient and study attributes,
 * or for plain image files the patient the uploader names (else the file name). Identifiers here never reach the
 * database; only their pseudonyms do.
 */
public record SourceMetadata(String patientId, Integer birthYear, String sex, String studyIdentity, LocalDate studyDate,
    String modality, String bodyPart, String description, String laterality) {

  /** Knee crops are often named by patient and side, e.g. 9023348L.png. */
  private static final Pattern PATIENT_SIDE = Pattern.compile("^(.+?)[_-]?([LR])$", Pattern.CASE_INSENSITIVE);

  /** Knee crops named by an OAI-style numeric patient id and side, e.g. 9023348L.png: the only names trusted as an id. */
  private static final Pattern NUMERIC_PATIENT = Pattern.compile("\\d{5,}");

  /**
   * The DICOM header's identities; {@code sha256} (of the file) stands in for a missing PatientID, so that patients
   * without one are not merged into one pseudonym.
   */
  public static SourceMetadata fromDicom(Path file, String sha256) throws IOException {
    AttributeList list = new AttributeList();
    try {
      list.read(file.toString(), TagFromName.PixelData);
    } catch (DicomException e) {
      throw new IOException(file.getFileName() + ": DICOM header unreadable: " + e.getMessage(), e);
    }
    String patient = text(list, TagFromName.PatientID);
    String birth = text(list, TagFromName.PatientBirthDate);
    String studyUid = text(list, TagFromName.StudyInstanceUID);
    LocalDate date = date(text(list, TagFromName.StudyDate));
    String laterality = text(list, TagFromName.ImageLaterality);
    if (laterality.isEmpty()) {
      laterality = text(list, TagFromName.Laterality);
    }
    String patientId = patient.isEmpty() ? "no-patient-id:" + sha256 : patient;
    return new SourceMetadata(patientId, birthYear(birth), blankToNull(text(list, TagFromName.PatientSex)),
        studyUid.isEmpty() ? patientId + "|" + date : studyUid, date, blankToNull(text(list, TagFromName.Modality)),
        blankToNull(text(list, TagFromName.BodyPartExamined)), blankToNull(text(list, TagFromName.StudyDescription)),
        side(laterality));
  }

  /**
   * A PNG or JPEG: the patient comes from the uploader, else from an OAI-style numeric name (9023348L.png), else the
   * image is its own patient ({@code sha256}: "scan.png" from two people is not one person); the study is this patient
   * today.
   */
  public static SourceMetadata forPlainImage(String originalName, String patientHint, String sha256, LocalDate today) {
    String stem = originalName.replaceFirst("\\.[^.]*$", "");
    Matcher m = PATIENT_SIDE.matcher(stem);
    String laterality = m.matches() ? m.group(2).toUpperCase(Locale.ROOT) : null;
    String named = m.matches() ? m.group(1) : stem;
    String patient = patientHint != null && !patientHint.isBlank() ? patientHint.trim()
        : NUMERIC_PATIENT.matcher(named).matches() ? named : "no-patient-id:" + sha256;
    return new SourceMetadata(patient, null, null, patient + "|" + today, today, "OT", null, null, laterality);
  }

  /** The year of a DICOM DA birth date; null when absent or malformed (a bad date must not refuse the image). */
  private static Integer birthYear(String birthDate) {
    return birthDate.length() >= 4 && birthDate.substring(0, 4).chars().allMatch(Character::isDigit)
        ? Integer.valueOf(birthDate.substring(0, 4)) : null;
  }

  private static String text(AttributeList list, AttributeTag tag) {
    return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String side(String laterality) {
    String l = laterality.toUpperCase(Locale.ROOT);
    return l.equals("L") || l.equals("R") ? l : null;
  }

  private static LocalDate date(String dicomDate) {
    try {
      return dicomDate.length() >= 8 ? LocalDate.parse(dicomDate.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
