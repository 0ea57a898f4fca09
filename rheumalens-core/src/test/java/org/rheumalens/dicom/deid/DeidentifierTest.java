package org.rheumalens.dicom.deid;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.testing.TestDicom;

/** The profile's table and its application, on small files made here. */
class DeidentifierTest {

  @Test
  void everyRuleNamesTheTagPixelMedKnowsByThatKeyword() {
    DicomDictionary dictionary = DicomDictionary.StandardDictionary;
    int known = 0;
    java.util.List<String> wrong = new java.util.ArrayList<>();
    for (ConfidentialityProfile.Rule rule : ConfidentialityProfile.table().values()) {
      String name = dictionary.getNameFromTag(rule.tag());
      if (name != null) {
        known++;
        if (!name.equals(rule.keyword())) {
          wrong.add(rule.tag() + " is " + name + ", the table says " + rule.keyword());
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(ConfidentialityProfile.table()).hasSizeGreaterThan(250);
    assertThat(known).isGreaterThan(200);
  }

  @Test
  void removesIdentityKeepsDatesOnlyWhenAskedAndMapsUidsConsistently(@TempDir Path dir) throws Exception {
    Path a = file(dir, "a.dcm", "1.2.3.100", "1.2.3.100.1", "1.2.3.100.1.1", "MRN-1");
    Path b = file(dir, "b.dcm", "1.2.3.100", "1.2.3.100.1", "1.2.3.100.1.2", "MRN-1");
    Path c = file(dir, "c.dcm", "1.2.3.200", "1.2.3.200.1", "1.2.3.200.1.1", "MRN-2");
    UidMap uids = new UidMap();
    Deidentifier basic = new Deidentifier(ConfidentialityProfile.Options.BASIC, uids);
    AttributeList outA = read(basic.deidentify(a, dir.resolve("out/a.dcm")).output());
    AttributeList outB = read(basic.deidentify(b, dir.resolve("out/b.dcm")).output());
    AttributeList outC = read(basic.deidentify(c, dir.resolve("out/c.dcm")).output());

    assertThat(text(outA, TagFromName.StudyInstanceUID)).isEqualTo(text(outB, TagFromName.StudyInstanceUID))
        .isNotEqualTo(text(outC, TagFromName.StudyInstanceUID)).isNotEqualTo("1.2.3.100").startsWith("2.25.");
    assertThat(text(outA, TagFromName.SOPInstanceUID)).isNotEqualTo(text(outB, TagFromName.SOPInstanceUID));
    assertThat(text(outA, TagFromName.MediaStorageSOPInstanceUID)).isEqualTo(text(outA, TagFromName.SOPInstanceUID));
    // A reference to another instance follows that instance's new UID.
    AttributeList ref = ((SequenceAttribute) outB.get(TagFromName.SourceImageSequence)).getItem(0).getAttributeList();
    assertThat(text(ref, TagFromName.ReferencedSOPInstanceUID)).isEqualTo(text(outA, TagFromName.SOPInstanceUID));
    assertThat(text(outA, TagFromName.PatientID)).isEqualTo(text(outB, TagFromName.PatientID)).isEqualTo("ANON-0001");
    assertThat(text(outC, TagFromName.PatientID)).isEqualTo("ANON-0002");
    assertThat(text(outA, TagFromName.PatientName)).isEqualTo("ANON-0001");
    assertThat(outA.get(TagFromName.PatientBirthDate).getVM()).isZero();
    assertThat(outA.get(TagFromName.StudyDate).getVM()).isZero();
    assertThat(outA.get(TagFromName.StudyDescription)).isNull();
    assertThat(outA.get(TagFromName.InstitutionName).getVM()).isZero();
    assertThat(outA.get(new AttributeTag(0x0009, 0x0010))).as("private creator").isNull();
    assertThat(outA.get(new AttributeTag(0x0009, 0x1001))).as("private data").isNull();
    assertThat(text(outA, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
    assertThat(text(outA, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("REMOVED");
    assertThat(text(outA, TagFromName.BodyPartExamined)).as("not identifying: kept").isEqualTo("KNEE");
    AttributeList method = ((SequenceAttribute) outA.get(TagFromName.DeidentificationMethodCodeSequence)).getItem(0)
        .getAttributeList();
    assertThat(text(method, TagFromName.CodeValue)).isEqualTo("113100");
    assertThat(outA.get(TagFromName.PixelData).getShortValues()).isEqualTo(read(a).get(TagFromName.PixelData).getShortValues());

    AttributeList kept = read(new Deidentifier(new ConfidentialityProfile.Options(true), new UidMap())
        .deidentify(a, dir.resolve("kept/a.dcm")).output());
    assertThat(text(kept, TagFromName.StudyDate)).isEqualTo("20240102");
    assertThat(text(kept, TagFromName.AcquisitionDate)).isEqualTo("20240102");
    assertThat(kept.get(TagFromName.PatientBirthDate).getVM()).as("a birth date is not longitudinal").isZero();
    assertThat(text(kept, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("UNMODIFIED");
    assertThat(((SequenceAttribute) kept.get(TagFromName.DeidentificationMethodCodeSequence)).getNumberOfItems()).isEqualTo(2);

    UidMap shiftMap = new UidMap();
    Deidentifier shifting = new Deidentifier(new ConfidentialityProfile.Options(false, true, true), shiftMap);
    AttributeList shiftedA = read(shifting.deidentify(a, dir.resolve("shifted/a.dcm")).output());
    AttributeList shiftedC = read(shifting.deidentify(c, dir.resolve("shifted/c.dcm")).output());
    java.time.LocalDate studied = java.time.LocalDate.of(2024, 1, 2);
    java.time.LocalDate shiftedDate = java.time.LocalDate.parse(text(shiftedA, TagFromName.StudyDate),
        java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    long days = java.time.temporal.ChronoUnit.DAYS.between(shiftedDate, studied);
    assertThat(days).isBetween(1L, 365L);
    assertThat(text(shiftedA, TagFromName.AcquisitionDate)).as("one patient, one shift").isEqualTo(text(shiftedA, TagFromName.StudyDate));
    assertThat(text(shiftedA, TagFromName.PatientSex)).as("patient characteristics kept").isEqualTo("F");
    assertThat(shiftedA.get(TagFromName.PatientBirthDate).getVM()).isZero();
    assertThat(text(shiftedA, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
    assertThat(text(shiftedC, TagFromName.StudyDate)).isNotEmpty();
  }

  @Test
  void warnsOfBurnedInAnnotationByAttributeAndByPixels(@TempDir Path dir) throws Exception {
    AttributeList list = new AttributeList();
    list.putNewAttribute(TagFromName.BurnedInAnnotation).addValue("YES");
    assertThat(Deidentifier.burnedInAnnotation(list)).singleElement().asString().contains("Burned In Annotation YES");

    BufferedImage film = film(new Random(7));
    assertThat(BurnedInText.check(radiograph(film)).textLike()).as("a film without text").isFalse();
    Graphics2D g = film.createGraphics();
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("DOE JOHN  MRN 0012345  12/03/1950", 12, 24);
    g.dispose();
    BurnedInText.Finding finding = BurnedInText.check(radiograph(film));
    assertThat(finding.textLike()).as(finding.toString()).isTrue();
    assertThat(finding.longestRow()).isGreaterThanOrEqualTo(10);
  }

  /** A smooth, noisy grey field with a bright oval in the middle: a film's structure without any text. */
  private static BufferedImage film(Random random) {
    BufferedImage image = new BufferedImage(512, 512, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        double d = Math.hypot((x - 256) / 150.0, (y - 256) / 200.0);
        int v = (int) (60 + 40 * y / 512.0 + (d < 1 ? 90 : 0) + random.nextGaussian() * 6);
        image.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v)));
      }
    }
    return image;
  }

  private static Radiograph radiograph(BufferedImage image) {
    float[] v = new float[image.getWidth() * image.getHeight()];
    for (int i = 0; i < v.length; i++) {
      v[i] = image.getRaster().getSample(i % image.getWidth(), i / image.getWidth(), 0);
    }
    return new Radiograph("test", "PNG", image.getWidth(), image.getHeight(), v, 8, false, java.util.Optional.empty(),
        java.util.Optional.empty(), "OT");
  }

  private static Path file(Path dir, String name, String study, String series, String sop, String patient) throws Exception {
    AttributeList list = TestDicom.header("1.2.840.10008.5.1.4.1.1.1.1", 4, 4, "MONOCHROME2");
    TestDicom.put(list,
        TagFromName.SOPInstanceUID, sop,
        TagFromName.StudyInstanceUID, study,
        TagFromName.SeriesInstanceUID, series,
        TagFromName.PatientName, "DOE^JOHN^" + patient,
        TagFromName.PatientID, patient,
        TagFromName.PatientBirthDate, "19500312",
        TagFromName.PatientSex, "F",
        TagFromName.StudyDate, "20240102",
        TagFromName.AcquisitionDate, "20240102",
        TagFromName.StudyDescription, "KNEE BILAT for Dr Smith",
        TagFromName.InstitutionName, "St Elsewhere",
        TagFromName.BodyPartExamined, "KNEE");
    for (int element : new int[] {0x0010, 0x1001}) {
      Attribute priv = new com.pixelmed.dicom.LongStringAttribute(new AttributeTag(0x0009, element));
      priv.addValue(element == 0x0010 ? "ACME 1.0" : "DOE JOHN");
      list.put(priv);
    }
    if (sop.endsWith(".2")) {
      SequenceAttribute source = new SequenceAttribute(TagFromName.SourceImageSequence);
      AttributeList item = new AttributeList();
      item.putNewAttribute(TagFromName.ReferencedSOPClassUID).addValue("1.2.840.10008.5.1.4.1.1.1.1");
      item.putNewAttribute(TagFromName.ReferencedSOPInstanceUID).addValue("1.2.3.100.1.1");
      source.addItem(item);
      list.put(source);
    }
    short[] pixels = new short[16];
    for (int i = 0; i < 16; i++) {
      pixels[i] = (short) (i * 100);
    }
    return TestDicom.write(TestDicom.withPixels(list, pixels), dir.resolve(name));
  }

  private static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list;
  }

  private static String text(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }
}
