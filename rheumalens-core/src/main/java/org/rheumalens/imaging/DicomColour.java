package org.rheumalens.imaging;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.function.IntUnaryOperator;

/**
 * The first frame of a colour DICOM file (RGB or YBR in either planar configuration, or PALETTE COLOR) in colour, made
 * grey (or kept in colour) by {@link ColourCheck}. Grey stored as colour is common in the wild (hip films saved as RGB, ultrasound exports).
 */
final class DicomColour {

  private DicomColour() {}

  /**
   * @param decoded the file as read, pixel data decoded: its Image Pixel module, once corrected, describes the decoded
   *     pixels, which a JPEG or JPEG 2000 decoder has usually turned from YBR into RGB
   * @param pixels the Image Pixel module of the file's header, whose colour model names the file in a refusal
   */
  static DicomImageReader.Frame firstFrame(
      AttributeList decoded, DicomImageReader.PixelModule pixels, String source, ColourHandling handling)
      throws ImageReadException {
    String photometric;
    IntUnaryOperator stored;
    int available;
    try {
      decoded.correctDecompressedImagePixelModule();
      photometric = Attribute.getSingleStringValueOrDefault(decoded, TagFromName.PhotometricInterpretation, "RGB");
      Attribute data = decoded.getPixelData();
      if (pixels.bitsAllocated() == 8) {
        byte[] bytes =
            "OB".equals(data.getVRAsString())
                ? data.getByteValues()
                : DicomImageReader.PixelModule.bytesOf(data.getShortValues());
        available = bytes == null ? 0 : bytes.length;
        stored = i -> bytes[i] & 0xff;
      } else {
        short[] words = data.getShortValues();
        available = words == null ? 0 : words.length;
        stored = i -> words[i] & 0xffff;
      }
    } catch (DicomException e) {
      throw new ImageReadException(
          source, "cannot read pixel values (" + ImageReadException.describe(e) + ")", e);
    }
    int count = pixels.columns() * pixels.rows();
    BufferedImage image;
    if ("PALETTE COLOR".equals(photometric)) {
      DicomImageReader.PixelModule.requireLength(available, count, source);
      image = throughPalette(stored, decoded, pixels, source);
    } else {
      int planar = Attribute.getSingleIntegerValueOrDefault(decoded, TagFromName.PlanarConfiguration, 0);
      Layout layout = Layout.of(photometric, planar, count, source);
      DicomImageReader.PixelModule.requireLength(available, count * layout.samplesPerPixel, source);
      image = toRgb(stored, layout, pixels);
    }
    ColourCheck.Pixels read =
        ColourCheck.pixels(
            image,
            pixels.bitsStored(),
            handling,
            percent ->
                new ImageReadException(
                    source,
                    "colour image ("
                        + pixels.photometric()
                        + "); a radiograph must be MONOCHROME1 or MONOCHROME2 ("
                        + percent
                        + "% of pixels in colour)"));
    return new DicomImageReader.Frame(read.values(), read.bits(), read.channels());
  }

  private static BufferedImage toRgb(IntUnaryOperator stored, Layout layout, DicomImageReader.PixelModule pixels) {
    int width = pixels.columns();
    int dataType = pixels.bitsAllocated() == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
    WritableRaster raster = Raster.createInterleavedRaster(dataType, width, pixels.rows(), 3, null);
    int max = (1 << pixels.bitsStored()) - 1;
    int half = 1 << (pixels.bitsStored() - 1);
    int[] rgb = new int[3];
    for (int i = 0; i < layout.pixels; i++) {
      int a = stored.applyAsInt(layout.index(i, 0));
      int b = stored.applyAsInt(layout.index(i, 1));
      int c = stored.applyAsInt(layout.index(i, 2));
      if (layout.ybr) {
        // PS3.3 C.7.6.3.1.2: full-range ITU-R BT.601; Cb = Cr = half (grey) gives R = G = B = Y exactly.
        double cb = b - half;
        double cr = c - half;
        rgb[0] = clamp(a + 1.402 * cr, max);
        rgb[1] = clamp(a - 0.344136 * cb - 0.714136 * cr, max);
        rgb[2] = clamp(a + 1.772 * cb, max);
      } else {
        rgb[0] = a;
        rgb[1] = b;
        rgb[2] = c;
      }
      raster.setPixel(i % width, i / width, rgb);
    }
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, dataType);
    return new BufferedImage(model, raster, false, null);
  }

  /**
   * Indices with the file's palette as an 8-bit {@link IndexColorModel} (16-bit entries keep their high byte), which
   * {@link ColourCheck} reads through sRGB. Indices below the first mapped value take the first entry and those past the
   * end the last (PS3.3 C.7.6.3.1.5).
   */
  private static BufferedImage throughPalette(
      IntUnaryOperator stored, AttributeList decoded, DicomImageReader.PixelModule pixels, String source)
      throws ImageReadException {
    int indexBits = pixels.bitsAllocated();
    int size = 1 << indexBits;
    byte[][] channels = new byte[3][];
    AttributeTag[][] tags = {
      {TagFromName.RedPaletteColorLookupTableDescriptor, TagFromName.RedPaletteColorLookupTableData},
      {TagFromName.GreenPaletteColorLookupTableDescriptor, TagFromName.GreenPaletteColorLookupTableData},
      {TagFromName.BluePaletteColorLookupTableDescriptor, TagFromName.BluePaletteColorLookupTableData}
    };
    for (int c = 0; c < 3; c++) {
      int[] descriptor = Attribute.getIntegerValues(decoded, tags[c][0]);
      short[] data = shorts(decoded.get(tags[c][1]), source);
      if (descriptor == null || descriptor.length < 3 || data == null || data.length == 0) {
        throw new ImageReadException(
            source,
            "PALETTE COLOR without a plain palette (segmented palettes are not supported); convert the file to RGB"
                + " first, e.g. with dcm2pnm or gdcmconv");
      }
      int entries = descriptor[0] & 0xffff;
      entries = entries == 0 ? 65536 : entries;
      int first = descriptor[1] & 0xffff;
      // 8-bit entries come either one to a word or packed two to a word, low byte first.
      boolean packed = descriptor[2] == 8 && data.length < entries;
      boolean highByte = descriptor[2] > 8;
      int[] lut = new int[entries];
      for (int i = 0; i < entries; i++) {
        int word = data[Math.min(packed ? i / 2 : i, data.length - 1)] & 0xffff;
        lut[i] = packed ? (i % 2 == 0 ? word & 0xff : word >> 8) : highByte ? word >> 8 : word & 0xff;
      }
      channels[c] = new byte[size];
      for (int i = 0; i < size; i++) {
        channels[c][i] = (byte) lut[Math.max(0, Math.min(entries - 1, i - first))];
      }
    }
    IndexColorModel model = new IndexColorModel(indexBits, size, channels[0], channels[1], channels[2]);
    int width = pixels.columns();
    WritableRaster raster = model.createCompatibleWritableRaster(width, pixels.rows());
    for (int i = 0; i < width * pixels.rows(); i++) {
      raster.setSample(i % width, i / width, 0, stored.applyAsInt(i));
    }
    return new BufferedImage(model, raster, false, null);
  }

  private static short[] shorts(Attribute attribute, String source) throws ImageReadException {
    try {
      return attribute == null ? null : attribute.getShortValues();
    } catch (DicomException e) {
      throw new ImageReadException(
          source, "cannot read the colour palette (" + ImageReadException.describe(e) + ")", e);
    }
  }

  private static int clamp(double value, int max) {
    return (int) Math.max(0, Math.min(max, Math.round(value)));
  }

  /** Where the three samples of each pixel lie in the decoded pixel data, and whether they are YBR. */
  private record Layout(int pixels, int planar, boolean subsampled, boolean ybr, int samplesPerPixel) {

    static Layout of(String photometric, int planar, int pixels, String source) throws ImageReadException {
      return switch (photometric) {
        case "RGB" -> new Layout(pixels, planar, false, false, 3);
        case "YBR_FULL" -> new Layout(pixels, planar, false, true, 3);
          // Two pixels share one Cb and one Cr: Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2), always pixel-interleaved.
        case "YBR_FULL_422" -> new Layout(pixels, 0, true, true, 2);
        default ->
            throw new ImageReadException(
                source,
                "colour model "
                    + photometric
                    + " is not supported for decoded pixels; convert the file to RGB first, e.g. with dcmdjpeg or"
                    + " gdcmconv --raw");
      };
    }

    /** The index of sample s (0, 1, 2) of pixel i. */
    int index(int i, int s) {
      if (subsampled) {
        int pair = 4 * (i / 2);
        return s == 0 ? pair + i % 2 : pair + 1 + s;
      }
      return planar == 1 ? s * pixels + i : 3 * i + s;
    }
  }
}
