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

  public static SourceMetadata fromDicom(Path file) throws IOException {
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
    return new SourceMetadata(patient.isEmpty() ? "unknown" : patient,
        birth.length() >= 4 ? Integer.valueOf(birth.substring(0, 4)) : null, blankToNull(text(list, TagFromName.PatientSex)),
        studyUid.isEmpty() ? patient + "|" + date : studyUid, date, blankToNull(text(list, TagFromName.Modality)),
        blankToNull(text(list, TagFromName.BodyPartExamined)), blankToNull(text(list, TagFromName.StudyDescription)),
        side(laterality));
  }

  /** A PNG or JPEG: the patient comes from the uploader, else from the file name; the study is this patient today. */
  public static SourceMetadata forPlainImage(String originalName, String patientHint, LocalDate today) {
    String stem = originalName.replaceFirst("\\.[^.]*$", "");
    Matcher m = PATIENT_SIDE.matcher(stem);
    String laterality = m.matches() ? m.group(2).toUpperCase(Locale.ROOT) : null;
    String patient = patientHint != null && !patientHint.isBlank() ? patientHint.trim() : (m.matches() ? m.group(1) : stem);
    return new SourceMetadata(patient, null, null, patient + "|" + today, today, "OT", null, null, laterality);
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
