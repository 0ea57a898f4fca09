package org.rheumalens.testing;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;

/** Writes small DICOM Part 10 files for tests, through PixelMed (explicit VR little endian). */
public final class TestDicom {

  private TestDicom() {}

  /** The attributes of a 12-bit-in-16 greyscale image, without pixel data. */
  public static AttributeList header(String sopClass, int rows, int columns, String photometric) throws DicomException {
    AttributeList list = new AttributeList();
    list.putNewAttribute(TagFromName.SOPClassUID).addValue(sopClass);
    list.putNewAttribute(TagFromName.SOPInstanceUID).addValue("1.2.3.4.5.7");
    list.putNewAttribute(TagFromName.Modality).addValue("DX");
    list.putNewAttribute(TagFromName.Rows).addValue(rows);
    list.putNewAttribute(TagFromName.Columns).addValue(columns);
    list.putNewAttribute(TagFromName.SamplesPerPixel).addValue(1);
    list.putNewAttribute(TagFromName.PhotometricInterpretation).addValue(photometric);
    list.putNewAttribute(TagFromName.BitsAllocated).addValue(16);
    list.putNewAttribute(TagFromName.BitsStored).addValue(12);
    list.putNewAttribute(TagFromName.HighBit).addValue(11);
    list.putNewAttribute(TagFromName.PixelRepresentation).addValue(0);
    return list;
  }

  /** Sets attributes from pairs of tag and value: {@code put(list, TagFromName.PatientID, "MRN-1", ...)}. */
  public static AttributeList put(AttributeList list, Object... tagsAndValues) throws DicomException {
    for (int i = 0; i < tagsAndValues.length; i += 2) {
      list.putNewAttribute((com.pixelmed.dicom.AttributeTag) tagsAndValues[i]).addValue((String) tagsAndValues[i + 1]);
    }
    return list;
  }

  /** Sets 16-bit pixel data (row-major). */
  public static AttributeList withPixels(AttributeList list, short[] pixels) throws DicomException {
    OtherWordAttribute data = new OtherWordAttribute(TagFromName.PixelData);
    data.setValues(pixels);
    list.put(data);
    return list;
  }

  /**
   * An 8-bit grey PNG (a knee crop) as a DX image's attributes with its pixels (12 bits in 16), for tests that need a
   * film in DICOM; the caller adds patient, study and series.
   */
  public static AttributeList fromPng(Path png) throws Exception {
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    java.awt.image.Raster raster = image.getRaster();
    short[] pixels = new short[image.getWidth() * image.getHeight()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        pixels[y * image.getWidth() + x] = (short) (raster.getSample(x, y, 0) << 4);
      }
    }
    return withPixels(header("1.2.840.10008.5.1.4.1.1.1.1", image.getHeight(), image.getWidth(), "MONOCHROME2"), pixels);
  }

  public static Path write(AttributeList list, Path file) throws Exception {
    FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "RHEUMALENS");
    list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    return file;
  }

  /**
   * A copy of {@code original} with its pixels replaced by three-sample ones ({@code byte[]}: 8 bits allocated, else
   * {@code short[]}), as grey radiographs stored as RGB or YBR come from some archives.
   */
  public static Path colourCopy(
      Path original, String photometric, int planar, int bitsStored, Object pixels, Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(original.toFile(), TagFromName.PixelData);
    int bitsAllocated = pixels instanceof byte[] ? 8 : 16;
    list.putNewAttribute(TagFromName.SamplesPerPixel).addValue(3);
    list.putNewAttribute(TagFromName.PhotometricInterpretation).addValue(photometric);
    list.putNewAttribute(TagFromName.PlanarConfiguration).addValue(planar);
    list.putNewAttribute(TagFromName.BitsAllocated).addValue(bitsAllocated);
    list.putNewAttribute(TagFromName.BitsStored).addValue(bitsStored);
    list.putNewAttribute(TagFromName.HighBit).addValue(bitsStored - 1);
    list.putNewAttribute(TagFromName.PixelRepresentation).addValue(0);
    if (pixels instanceof byte[] bytes) {
      OtherByteAttribute data = new OtherByteAttribute(TagFromName.PixelData);
      data.setValues(bytes);
      list.put(data);
    } else {
      withPixels(list, (short[]) pixels);
    }
    return write(list, file);
  }}
