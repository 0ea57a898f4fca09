package org.rheumalens.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The header of a source DICOM image (everything before the pixel data): what derived objects copy (patient and study)
 * and reference (its SOP Class and Instance, its series).
 */
public record SourceImage(AttributeList header) {

  /** Patient module and the study attributes a derived object in the same study carries over unchanged. */
  private static final AttributeTag[] PATIENT_AND_STUDY = {
    TagFromName.SpecificCharacterSet,
    TagFromName.PatientName, TagFromName.PatientID, TagFromName.IssuerOfPatientID, TagFromName.PatientBirthDate,
    TagFromName.PatientSex, TagFromName.OtherPatientIDsSequence, TagFromName.PatientIdentityRemoved,
    TagFromName.DeidentificationMethod, TagFromName.DeidentificationMethodCodeSequence,
    TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.ReferringPhysicianName,
    TagFromName.StudyID, TagFromName.AccessionNumber, TagFromName.StudyDescription,
    TagFromName.PatientAge, TagFromName.PatientSize, TagFromName.PatientWeight,
  };
  /** Type 2 attributes of the Patient and General Study modules: present, empty where the source lacks them. */
  private static final AttributeTag[] REQUIRED_EVEN_EMPTY = {
    TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate, TagFromName.PatientSex,
    TagFromName.StudyDate, TagFromName.StudyTime, TagFromName.ReferringPhysicianName, TagFromName.StudyID,
    TagFromName.AccessionNumber,
  };

  /** Reads the header of {@code file}; a file that is not DICOM is refused with its cause. */
  public static SourceImage read(Path file) throws IOException {
    AttributeList list = new AttributeList();
    try {
      list.read(file.toString(), TagFromName.PixelData);
    } catch (DicomException e) {
      throw new IOException(file + ": not a readable DICOM file (" + e.getMessage() + ")", e);
    }
    SourceImage source = new SourceImage(list);
    for (AttributeTag tag : new AttributeTag[] {TagFromName.SOPClassUID, TagFromName.SOPInstanceUID, TagFromName.StudyInstanceUID}) {
      if (source.text(tag).isEmpty()) {
        throw new IOException(file + ": DICOM file has no " + list.getDictionary().getNameFromTag(tag)
            + ", so a result cannot refer to it");
      }
    }
    return source;
  }

  /**
   * The side a DICOM file says it shows (Image Laterality, else Laterality: "L", "R"), or "" when it says none or
   * cannot be read: a hint, never a reason to fail.
   */
  public static String laterality(Path file) {
    AttributeList list = new AttributeList();
    try {
      list.read(file.toString(), TagFromName.PixelData);
    } catch (IOException | DicomException | RuntimeException e) {
      return "";
    }
    SourceImage source = new SourceImage(list);
    String image = source.text(TagFromName.ImageLaterality);
    return image.isEmpty() ? source.text(TagFromName.Laterality) : image;
  }

  public String sopClassUid() {
    return text(TagFromName.SOPClassUID);
  }

  public String sopInstanceUid() {
    return text(TagFromName.SOPInstanceUID);
  }

  public String studyInstanceUid() {
    return text(TagFromName.StudyInstanceUID);
  }

  public String seriesInstanceUid() {
    return text(TagFromName.SeriesInstanceUID);
  }

  public String modality() {
    return text(TagFromName.Modality);
  }

  /** Copies the patient and study attributes into {@code target}, adding empty type 2 ones the source lacks. */
  public void copyPatientAndStudy(AttributeList target) throws DicomException {
    for (AttributeTag tag : PATIENT_AND_STUDY) {
      Attribute a = header.get(tag);
      if (a != null) {
        target.put(a);
      }
    }
    for (AttributeTag tag : REQUIRED_EVEN_EMPTY) {
      if (target.get(tag) == null) {
        target.putNewAttribute(tag);
      }
    }
  }

  public String text(AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(header, tag).trim();
  }
}
