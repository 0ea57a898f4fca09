package org.rheumalens.dicom.deid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.RadiographReader;

/**
 * Applies the {@link ConfidentialityProfile} to DICOM files: every attribute by its action (recursing into
 * sequences), UIDs through one {@link UidMap} per run, patients numbered, private attributes removed, and the
 * de-identification recorded in the file (Patient Identity Removed, De-identification Method and its code sequence,
 * Longitudinal Temporal Information Modified). The pixel data are copied as they are (compressed data stay
 * compressed, in the same transfer syntax); text burned into them is looked for and reported, not removed.
 */
public final class Deidentifier {

  /** PS3.16 CID 7050 codes of what was applied. */
  private static final String[] BASIC = {"113100", "DCM", "Basic Application Confidentiality Profile"};
  private static final String[] FULL_DATES = {"113106", "DCM", "Retain Longitudinal Temporal Information Full Dates Option"};
  private static final String[] MODIFIED_DATES =
      {"113107", "DCM", "Retain Longitudinal Temporal Information Modified Dates Option"};
  private static final String[] CHARACTERISTICS = {"113108", "DCM", "Retain Patient Characteristics Option"};

  /** One de-identified file: where it went, its new UIDs and what a person should check by eye. */
  public record Outcome(Path output, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
      List<String> warnings) {}

  private final ConfidentialityProfile.Options options;
  private final UidMap uids;

  public Deidentifier(ConfidentialityProfile.Options options, UidMap uids) {
    this.options = options;
    this.uids = uids;
  }

  /** De-identifies {@code in} into {@code out} (written through a temporary file). */
  public Outcome deidentify(Path in, Path out) throws IOException {
    AttributeList list = new AttributeList();
    list.setDecompressPixelData(false);
    try {
      list.read(in.toFile());
    } catch (DicomException | RuntimeException e) {
      throw new IOException(in + ": not a readable DICOM file (" + e.getMessage() + ")", e);
    }
    String syntax = Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID,
        TransferSyntax.ExplicitVRLittleEndian);
    List<String> warnings = new ArrayList<>(burnedInAnnotation(list));
    warnings.addAll(burnedInPixels(in));
    try {
      apply(list);
      list.removeMetaInformationHeaderAttributes();
      list.removeGroupLengthAttributes();
      FileMetaInformation.addFileMetaInformation(list, syntax, "RHEUMALENS");
      Files.createDirectories(out.toAbsolutePath().getParent());
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      list.write(tmp.toFile(), syntax, true, true);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (DicomException e) {
      throw new IOException(in + ": cannot write the de-identified copy (" + e.getMessage() + ")", e);
    }
    return new Outcome(out, text(list, TagFromName.StudyInstanceUID), text(list, TagFromName.SeriesInstanceUID),
        text(list, TagFromName.SOPInstanceUID), warnings);
  }

  /** De-identifies a data set in place (meta information aside): the profile's actions and the markers of it. */
  public void apply(AttributeList list) throws DicomException {
    String patient = patientIdentity(list);
    applyActions(list, uids.dateShiftDays(patient));
    if (list.get(TagFromName.PatientID) != null || list.get(TagFromName.PatientName) != null) {
      // Z allows a dummy: a number per source patient keeps two patients' images apart after de-identification.
      String pseudonym = uids.patient(patient);
      list.putNewAttribute(TagFromName.PatientID).addValue(pseudonym);
      list.putNewAttribute(TagFromName.PatientName).addValue(pseudonym);
    }
    list.putNewAttribute(TagFromName.PatientIdentityRemoved).addValue("YES");
    List<String[]> applied = new ArrayList<>();
    applied.add(BASIC);
    if (options.keepDates()) {
      applied.add(FULL_DATES);
    } else if (options.modifyDates()) {
      applied.add(MODIFIED_DATES);
    }
    if (options.patientCharacteristics()) {
      applied.add(CHARACTERISTICS);
    }
    SequenceAttribute methods = new SequenceAttribute(TagFromName.DeidentificationMethodCodeSequence);
    StringBuilder method = new StringBuilder("RheumaLens PS3.15");
    for (String[] code : applied) {
      methods.addItem(new CodedSequenceItem(code[0], code[1], code[2]).getAttributeList());
      method.append(method.length() > 17 ? ", " : ": ").append(code[2]);
    }
    list.putNewAttribute(TagFromName.DeidentificationMethod).addValue(method.toString());
    list.put(methods);
    list.putNewAttribute(TagFromName.LongitudinalTemporalInformationModified)
        .addValue(options.keepDates() ? "UNMODIFIED" : options.modifyDates() ? "MODIFIED" : "REMOVED");
  }

  private void applyActions(AttributeList list, int shiftDays) throws DicomException {
    for (AttributeTag tag : new ArrayList<>(list.keySet())) {
      Attribute a = list.get(tag);
      switch (ConfidentialityProfile.action(tag, options)) {
        case X -> list.remove(tag);
        case Z -> a.removeValues();
        case D -> dummy(list, a);
        case C -> shift(a, shiftDays);
        case U -> {
          String[] values = a.getStringValues();
          a.removeValues();
          for (String v : values == null ? new String[0] : values) {
            a.addValue(v.isBlank() ? v : uids.replace(v.trim()));
          }
        }
        case K, RECURSE -> {
          if (a instanceof SequenceAttribute seq) {
            for (int i = 0; i < seq.getNumberOfItems(); i++) {
              SequenceItem item = seq.getItem(i);
              applyActions(item.getAttributeList(), shiftDays);
            }
          }
        }
      }
    }
  }

  /**
   * Moves a date (DA, or the date of a DT) {@code days} earlier; times of day stay. Unparseable dates are emptied:
   * a shift cannot be applied to what is not a date, and the original must not survive.
   */
  private static void shift(Attribute a, int days) throws DicomException {
    String vr = a.getVRAsString();
    String[] values = a.getStringValues();
    if (!vr.equals("DA") && !vr.equals("DT")) {
      return;
    }
    a.removeValues();
    for (String v : values == null ? new String[0] : values) {
      String shifted = DateShift.shift(v.trim(), days);
      if (shifted != null) {
        a.addValue(shifted);
      }
    }
  }

  /** A dummy value of the attribute's VR. */
  private static void dummy(AttributeList list, Attribute a) throws DicomException {
    String vr = a.getVRAsString();
    if (a instanceof SequenceAttribute) {
      list.remove(a.getTag());
      return;
    }
    a.removeValues();
    a.addValue(switch (vr) {
      case "DA" -> "19000101";
      case "TM" -> "000000";
      case "DT" -> "19000101000000";
      default -> "ANONYMOUS";
    });
  }

  /** Who the data set is about, before de-identification: patient ID and issuer, else name and birth date, else the study. */
  private static String patientIdentity(AttributeList list) {
    String id = text(list, TagFromName.PatientID);
    if (!id.isEmpty()) {
      return "id:" + id + "|" + text(list, TagFromName.IssuerOfPatientID);
    }
    String name = text(list, TagFromName.PatientName);
    if (!name.isEmpty()) {
      return "name:" + name + "|" + text(list, TagFromName.PatientBirthDate);
    }
    return "study:" + text(list, TagFromName.StudyInstanceUID);
  }

  /** The header's own word: Burned In Annotation YES. */
  public static List<String> burnedInAnnotation(AttributeList list) {
    return text(list, TagFromName.BurnedInAnnotation).equalsIgnoreCase("YES")
        ? List.of("burned_in_annotation: the file says its pixels carry annotation that may identify the patient "
            + "(Burned In Annotation YES); check and mask it before sharing")
        : List.of();
  }

  /** The pixels' own evidence: a line of character-like blobs along an edge. */
  public static List<String> burnedInPixels(Path file) {
    try {
      BurnedInText.Finding f = BurnedInText.check(RadiographReader.standard(ColourHandling.TO_GREY).read(file));
      return f.textLike()
          ? List.of("burned_in_text: " + f.longestRow() + " character-like marks in a row along the image edge look "
              + "like text burned into the pixels; check and mask it before sharing")
          : List.of();
    } catch (ImageReadException | RuntimeException e) {
      return List.of("pixels_not_checked: the pixels could not be decoded to look for burned-in text ("
          + e.getMessage() + ")");
    }
  }

  private static String text(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }
}
