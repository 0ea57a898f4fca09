package org.rheumalens.dicom.out;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.rheumalens.dicom.SourceImage;

/**
 * A rendered heatmap overlay as a DICOM Secondary Capture (8-bit RGB) in the source's study, in a series of its own,
 * derived from and referring to the source image, so any PACS viewer shows it beside the film.
 */
public final class HeatmapCapture {

  public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
  static final int SERIES_NUMBER = 9902;

  private HeatmapCapture() {}

  /**
   * Writes {@code overlay} (e.g. {@code HeatmapRenderer.render}) to {@code file}; {@code description} says what it
   * shows and must not identify the patient (it is burned into nothing, but is shown in series lists).
   */
  public static WrittenObject write(SourceImage source, BufferedImage overlay, String description,
      ReportContent.ModelIdentity model, Path file) throws IOException {
    try {
      return DerivedObject.write(build(source, overlay, description, model, LocalDateTime.now()), file);
    } catch (DicomException e) {
      throw new IOException(file + ": cannot build the heatmap capture (" + e.getMessage() + ")", e);
    }
  }

  static AttributeList build(SourceImage source, BufferedImage overlay, String description,
      ReportContent.ModelIdentity model, LocalDateTime now) throws DicomException {
    AttributeList list = DerivedObject.start(source, SECONDARY_CAPTURE, "OT", SERIES_NUMBER,
        DerivedObject.clip("RheumaLens heatmap: " + description, 64), model, now);
    list.putNewAttribute(TagFromName.PatientOrientation);
    // Type 2C: the source's side where it has one; empty where unknown (dciodvfy takes an absent one for an error, an
    // empty one for a warning, since it cannot tell whether the body part is paired).
    String side = source.text(TagFromName.Laterality).isEmpty() ? source.text(TagFromName.ImageLaterality)
        : source.text(TagFromName.Laterality);
    list.putNewAttribute(TagFromName.Laterality);
    if (side.equals("L") || side.equals("R")) {
      list.get(TagFromName.Laterality).addValue(side);
    }
    DerivedObject.put(list, TagFromName.ConversionType, "WSD");
    list.putNewAttribute(TagFromName.ImageType).addValue("DERIVED");
    list.get(TagFromName.ImageType).addValue("SECONDARY");
    DerivedObject.put(list, TagFromName.DerivationDescription,
        DerivedObject.clip("AI heatmap over the model input: " + description, 1024));
    SequenceAttribute sources = new SequenceAttribute(TagFromName.SourceImageSequence);
    sources.addItem(DerivedObject.sopReference(source.sopClassUid(), source.sopInstanceUid()));
    list.put(sources);
    // The overlay's only text is the method, the class and the scale: nothing that identifies the patient.
    DerivedObject.put(list, TagFromName.BurnedInAnnotation, "NO");
    DerivedObject.put(list, TagFromName.LossyImageCompression, "00");

    int w = overlay.getWidth();
    int h = overlay.getHeight();
    list.putNewAttribute(TagFromName.SamplesPerPixel).addValue(3);
    DerivedObject.put(list, TagFromName.PhotometricInterpretation, "RGB");
    list.putNewAttribute(TagFromName.PlanarConfiguration).addValue(0);
    list.putNewAttribute(TagFromName.Rows).addValue(h);
    list.putNewAttribute(TagFromName.Columns).addValue(w);
    list.putNewAttribute(TagFromName.BitsAllocated).addValue(8);
    list.putNewAttribute(TagFromName.BitsStored).addValue(8);
    list.putNewAttribute(TagFromName.HighBit).addValue(7);
    list.putNewAttribute(TagFromName.PixelRepresentation).addValue(0);
    byte[] rgb = new byte[w * h * 3 + (w * h * 3) % 2];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = overlay.getRGB(x, y);
        int i = 3 * (y * w + x);
        rgb[i] = (byte) (p >> 16);
        rgb[i + 1] = (byte) (p >> 8);
        rgb[i + 2] = (byte) p;
      }
    }
    OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
    pixels.setValues(rgb);
    list.put(pixels);
    return list;
  }
}
