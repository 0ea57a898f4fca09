package org.rheumalens.dicom.out;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.rheumalens.dicom.DicomUids;
import org.rheumalens.dicom.SourceImage;

/**
 * What every object RheumaLens derives from a source image shares: the source's patient and study, a new series and
 * instance, RheumaLens as the equipment, and the Part 10 file it is written as.
 */
final class DerivedObject {

  static final String MANUFACTURER = "RheumaLens";
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private DerivedObject() {}

  /**
   * Starts the header of a derived object in a new series of the source's study; returns its SOP Instance UID (also
   * set). The series number keeps RheumaLens series apart from the modality's own in a viewer's series list.
   */
  static AttributeList start(SourceImage source, String sopClassUid, String modality, int seriesNumber,
      String seriesDescription, ReportContent.ModelIdentity model, LocalDateTime now) throws DicomException {
    AttributeList list = new AttributeList();
    source.copyPatientAndStudy(list);
    put(list, TagFromName.SOPClassUID, sopClassUid);
    put(list, TagFromName.SOPInstanceUID, DicomUids.fresh());
    put(list, TagFromName.Modality, modality);
    put(list, TagFromName.SeriesInstanceUID, DicomUids.fresh());
    put(list, TagFromName.SeriesNumber, Integer.toString(seriesNumber));
    put(list, TagFromName.SeriesDescription, seriesDescription);
    put(list, TagFromName.InstanceNumber, "1");
    put(list, TagFromName.Manufacturer, MANUFACTURER);
    put(list, TagFromName.ManufacturerModelName, clip(model.name(), 64));
    put(list, TagFromName.DeviceSerialNumber, clip(model.cardSha256(), 64));
    put(list, TagFromName.SoftwareVersions, clip(model.version(), 64));
    put(list, TagFromName.InstanceCreationDate, now.format(DATE));
    put(list, TagFromName.InstanceCreationTime, now.format(TIME));
    put(list, TagFromName.ContentDate, now.format(DATE));
    put(list, TagFromName.ContentTime, now.format(TIME));
    return list;
  }

  /** A Hierarchical SOP Instance Reference item (study, series, instance) for the evidence sequences. */
  static AttributeList hierarchicalReference(String studyUid, String seriesUid, String sopClassUid, String sopInstanceUid)
      throws DicomException {
    AttributeList study = new AttributeList();
    put(study, TagFromName.StudyInstanceUID, studyUid);
    AttributeList series = new AttributeList();
    put(series, TagFromName.SeriesInstanceUID, seriesUid);
    SequenceAttribute sops = new SequenceAttribute(TagFromName.ReferencedSOPSequence);
    sops.addItem(sopReference(sopClassUid, sopInstanceUid));
    series.put(sops);
    SequenceAttribute seriesSeq = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
    seriesSeq.addItem(series);
    study.put(seriesSeq);
    return study;
  }

  static AttributeList sopReference(String sopClassUid, String sopInstanceUid) throws DicomException {
    AttributeList item = new AttributeList();
    put(item, TagFromName.ReferencedSOPClassUID, sopClassUid);
    put(item, TagFromName.ReferencedSOPInstanceUID, sopInstanceUid);
    return item;
  }

  /** Writes {@code list} as Part 10, explicit VR little endian, through a temporary file so no half file is left. */
  static WrittenObject write(AttributeList list, Path file) throws IOException {
    try {
      FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "RHEUMALENS");
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      list.write(tmp.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new WrittenObject(file, text(list, TagFromName.SOPClassUID), text(list, TagFromName.SOPInstanceUID),
          text(list, TagFromName.SeriesInstanceUID));
    } catch (DicomException e) {
      throw new IOException(file + ": cannot write DICOM (" + e.getMessage() + ")", e);
    }
  }

  static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws DicomException {
    list.putNewAttribute(tag).addValue(value);
  }

  static String clip(String text, int max) {
    String t = text == null ? "" : text;
    return t.length() <= max ? t : t.substring(0, max);
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
