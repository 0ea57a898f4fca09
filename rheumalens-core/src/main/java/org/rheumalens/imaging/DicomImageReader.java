package org.rheumalens.imaging;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClassDescriptions;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * DICOM Part 10 files through PixelMed. Reads the stored values of the first frame (a multi-frame file yields frame 1),
 * applies Rescale Slope/Intercept and keeps the file's first VOI window, MONOCHROME1 flag and pixel spacing. Colour
 * files (RGB, YBR, any planar configuration, PALETTE COLOR) are decoded and go through {@link ColourCheck}: grey stored as colour is
 * read as grey, true colour is refused or converted as the {@link ColourHandling} says. Transfer syntaxes PixelMed
 * cannot decode (JPEG-LS, 12-bit lossy JPEG) go through dcmtk when it is installed, and otherwise fail with a message
 * that names the syntax and the tool to convert it with.
 */
public final class DicomImageReader implements ImageFormatReader {

  /** (FFFE,E0DD) with length 0, little endian as every encapsulated transfer syntax is. */
  private static final byte[] SEQUENCE_DELIMITER = {(byte) 0xfe, (byte) 0xff, (byte) 0xdd, (byte) 0xe0, 0, 0, 0, 0};

  private final DcmtkTranscoder transcoder;
  private final ColourHandling colour;

  /** Falls back on dcmtk from the PATH for what PixelMed cannot decode; refuses images in true colour. */
  public DicomImageReader() {
    this(ColourHandling.REFUSE);
  }

  /** Falls back on dcmtk from the PATH for what PixelMed cannot decode. */
  public DicomImageReader(ColourHandling colour) {
    this(DcmtkTranscoder.fromPath(), colour);
  }

  DicomImageReader(DcmtkTranscoder transcoder) {
    this(transcoder, ColourHandling.REFUSE);
  }

  DicomImageReader(DcmtkTranscoder transcoder, ColourHandling colour) {
    this.transcoder = transcoder;
    this.colour = colour;
  }

  @Override
  public boolean recognises(byte[] head) {
    return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
  }

  @Override
  public Radiograph read(Path file, ImageLimits limits) throws ImageReadException {
    String source = file.toString();
    try {
      return decode(file, source, limits);
    } catch (RuntimeException e) {
      // PixelMed signals some malformed input with unchecked exceptions; none may escape as a crash.
      throw new ImageReadException(source, "cannot decode DICOM file (" + ImageReadException.describe(e) + ")", e);
    }
  }

  private Radiograph decode(Path file, String source, ImageLimits limits) throws ImageReadException {
    DicomStructure.check(file, source);
    // Everything up to the pixel data: cheap, and enough to refuse colour images and decompression bombs.
    AttributeList header = readList(file, source, TagFromName.PixelData);
    DicomTransferSyntax syntax =
        DicomTransferSyntax.of(text(header, TagFromName.TransferSyntaxUID, TransferSyntax.ExplicitVRLittleEndian));
    PixelModule pixels = PixelModule.of(header, source);
    limits.check(source, pixels.columns(), pixels.rows());
    if (!syntax.isNative() && !syntax.isImageCodec()) {
      // Video (MPEG, HEVC) or a UID nobody knows: no decoder here would give a radiograph's pixels.
      throw new ImageReadException(
          source, "DICOM transfer syntax " + syntax + " is not supported; transcode it to Explicit VR Little Endian "
              + "first, e.g. with gdcmconv --raw");
    }
    if (!syntax.isNative()) {
      requireTerminatedEncapsulation(file, source);
    }
    AttributeList decoded = readPixelData(file, source, syntax);
    Frame frame =
        pixels.isGrey()
            ? pixels.firstFrame(decoded.getPixelData(), source, rescale(header))
            : DicomColour.firstFrame(decoded, pixels, source, colour);
    return new Radiograph(
        source,
        "DICOM " + syntax.uid(),
        pixels.columns(),
        pixels.rows(),
        frame.values(),
        frame.bitsStored(),
        "MONOCHROME1".equals(pixels.photometric()),
        window(header),
        spacing(header),
        text(header, TagFromName.Modality, "OT"),
        frame.channels());
  }

  /**
   * The whole file with its pixel data decoded, by PixelMed or else by dcmtk; its Image Pixel module describes the
   * decoded pixels (a JPEG decoder may have turned YBR into RGB).
   */
  private AttributeList readPixelData(Path file, String source, DicomTransferSyntax syntax)
      throws ImageReadException {
    String failure;
    try {
      AttributeList list = readList(file, source, null);
      Attribute data = list.getPixelData();
      if (data != null && data.getVL() > 0) {
        return list;
      }
      // PixelMed drops 12-bit lossy JPEG without a word: the attribute is simply missing after the read.
      failure = "the decoder returned no pixels";
    } catch (ImageReadException e) {
      failure = e.getCause() == null ? e.getMessage() : ImageReadException.describe(e.getCause());
    }
    if (syntax.isNative()) {
      throw new ImageReadException(source, "no pixel data could be read (" + failure + "); the file may be truncated");
    }
    Optional<String> tool = DcmtkTranscoder.toolFor(syntax.uid());
    Optional<Path> installed = tool.flatMap(transcoder::find);
    if (installed.isEmpty()) {
      String remedy =
          tool.map(t -> "transcode with " + t + " (dcmtk) or install dcmtk so RheumaLens can do it")
              .orElse("transcode it to Explicit VR Little Endian first, e.g. with gdcmconv --raw");
      throw new ImageReadException(
          source, "DICOM transfer syntax " + syntax + " is not supported (" + failure + "); " + remedy);
    }
    try (DcmtkTranscoder.Transcoded copy = transcoder.transcode(source, file, installed.get())) {
      AttributeList list = readList(copy.file(), source, null);
      Attribute data = list.getPixelData();
      if (data == null || data.getVL() <= 0) {
        throw new ImageReadException(
            source, "DICOM transfer syntax " + syntax + ": " + tool.get() + " produced no pixel data");
      }
      return list;
    }
  }

  /**
   * Compressed pixel data ends with a Sequence Delimitation Item. PixelMed reads past a missing one with only a line on
   * stderr, and a cut JPEG 2000 codestream still decodes (blurred), so a truncated radiograph would pass for a whole
   * one. Only trailing padding or a few attributes may follow, hence the search of the last 64 KiB.
   */
  private static void requireTerminatedEncapsulation(Path file, String source) throws ImageReadException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] tail = new byte[(int) Math.min(in.length(), 64 * 1024)];
      in.seek(in.length() - tail.length);
      in.readFully(tail);
      int n = SEQUENCE_DELIMITER.length;
      for (int i = tail.length - n; i >= 0; i--) {
        if (Arrays.equals(tail, i, i + n, SEQUENCE_DELIMITER, 0, n)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new ImageReadException(source, "cannot read the file (" + ImageReadException.describe(e) + ")", e);
    }
    throw new ImageReadException(source,
        "compressed pixel data is not terminated: the file is truncated or damaged; copy it again from its source");
  }

  /** Reads the file, up to stopTag when it is not null. */
  private static AttributeList readList(Path file, String source, AttributeTag stopTag) throws ImageReadException {
    AttributeList list = new AttributeList();
    try {
      if (stopTag == null) {
        list.read(file.toFile());
      } else {
        list.read(file.toFile(), stopTag);
      }
      return list;
    } catch (IOException | DicomException e) {
      throw new ImageReadException(source, "not a readable DICOM file (" + ImageReadException.describe(e) + ")", e);
    }
  }

  private static Rescale rescale(AttributeList header) {
    return new Rescale(
        Attribute.getSingleDoubleValueOrDefault(header, TagFromName.RescaleSlope, 1),
        Attribute.getSingleDoubleValueOrDefault(header, TagFromName.RescaleIntercept, 0));
  }

  private static Optional<Radiograph.Window> window(AttributeList header) {
    double[] centres = Attribute.getDoubleValues(header, TagFromName.WindowCenter);
    double[] widths = Attribute.getDoubleValues(header, TagFromName.WindowWidth);
    if (centres == null || widths == null || centres.length == 0 || widths.length == 0 || !(widths[0] >= 1)) {
      return Optional.empty();
    }
    return Optional.of(new Radiograph.Window(centres[0], widths[0]));
  }

  private static Optional<Radiograph.PixelSpacing> spacing(AttributeList header) {
    return spacing(header, TagFromName.PixelSpacing, "PixelSpacing")
        .or(() -> spacing(header, TagFromName.ImagerPixelSpacing, "ImagerPixelSpacing"));
  }

  private static Optional<Radiograph.PixelSpacing> spacing(AttributeList header, AttributeTag tag, String name) {
    double[] v = Attribute.getDoubleValues(header, tag);
    // Some archives write 0\0 for "unknown" (RG1 does): that is no spacing, not a zero-size pixel.
    if (v == null || v.length < 2 || !(v[0] > 0) || !(v[1] > 0)) {
      return Optional.empty();
    }
    return Optional.of(new Radiograph.PixelSpacing(v[0], v[1], name));
  }

  private static String text(AttributeList list, AttributeTag tag, String fallback) {
    String value = Attribute.getSingleStringValueOrNull(list, tag);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private record Rescale(double slope, double intercept) {}

  /** One frame's grey values (or R, G and B planes) and their significant bits. */
  record Frame(float[] values, int bitsStored, int channels) {
    Frame(float[] values, int bitsStored) {
      this(values, bitsStored, 1);
    }
  }

  /** The Image Pixel module attributes that say how to interpret the stored values. */
  record PixelModule(int rows, int columns, int bitsAllocated, int bitsStored, boolean signed, String photometric) {

    /** What {@link DicomColour} can decode and check; any other colour model is refused from the header alone. */
    private static final Set<String> COLOUR =
        Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT");

    static PixelModule of(AttributeList header, String source) throws ImageReadException {
      int rows = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Rows, 0);
      int columns = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Columns, 0);
      if (rows == 0 || columns == 0) {
        String sopClass = text(header, TagFromName.SOPClassUID, text(header, TagFromName.MediaStorageSOPClassUID, ""));
        String described = SOPClassDescriptions.getDescriptionFromUID(sopClass);
        throw new ImageReadException(
            source,
            "no pixel data (SOP class "
                + (described == null || described.isEmpty() ? "" : described + ", ")
                + (sopClass.isEmpty() ? "not stated" : sopClass)
                + "): not an image");
      }
      int samples = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.SamplesPerPixel, 1);
      String photometric = text(header, TagFromName.PhotometricInterpretation, samples == 1 ? "MONOCHROME2" : "RGB");
      if (samples != 1 && samples != 3) {
        throw new ImageReadException(
            source, "Samples per Pixel " + samples + " (" + photometric + ") is not supported; an image has 1 or 3");
      }
      boolean grey = samples == 1 && photometric.startsWith("MONOCHROME");
      boolean colour =
          (samples == 3 && COLOUR.contains(photometric)) || (samples == 1 && photometric.equals("PALETTE COLOR"));
      if (!grey && !colour) {
        throw new ImageReadException(
            source, "colour image (" + photometric + "); a radiograph must be MONOCHROME1 or MONOCHROME2");
      }
      int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsAllocated, 16);
      if (bitsAllocated != 8 && bitsAllocated != 16) {
        throw new ImageReadException(
            source, "Bits Allocated " + bitsAllocated + " is not supported; a radiograph has 8 or 16");
      }
      int bitsStored = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.BitsStored, bitsAllocated);
      boolean signed = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.PixelRepresentation, 0) == 1;
      return new PixelModule(rows, columns, bitsAllocated, Math.min(bitsStored, bitsAllocated), signed, photometric);
    }

    boolean isGrey() {
      return photometric.startsWith("MONOCHROME");
    }

    /**
     * The first frame's stored values through the modality rescale. Values are not masked to Bits Stored: some
     * encoders (the NM_Kakadu44 hand) write a 16-bit codestream into a file that declares 12, so the reported
     * bitsStored grows to cover the largest value instead.
     */
    Frame firstFrame(Attribute data, String source, Rescale rescale) throws ImageReadException {
      int count = rows * columns;
      int[] raw;
      try {
        if (bitsAllocated == 8) {
          byte[] bytes = "OB".equals(data.getVRAsString()) ? data.getByteValues() : bytesOf(data.getShortValues());
          requireLength(bytes == null ? 0 : bytes.length, count, source);
          raw = new int[count]; // only now: a header may declare 10000x10000 over a few bytes
          for (int i = 0; i < count; i++) {
            raw[i] = signed ? bytes[i] : bytes[i] & 0xff;
          }
        } else {
          short[] words = data.getShortValues();
          requireLength(words == null ? 0 : words.length, count, source);
          raw = new int[count];
          for (int i = 0; i < count; i++) {
            raw[i] = signed ? words[i] : words[i] & 0xffff;
          }
        }
      } catch (DicomException e) {
        throw new ImageReadException(source, "cannot read pixel values (" + ImageReadException.describe(e) + ")", e);
      }
      float[] values = new float[count];
      int max = 0;
      for (int i = 0; i < count; i++) {
        values[i] = (float) (raw[i] * rescale.slope() + rescale.intercept());
        max = Math.max(max, raw[i]);
      }
      int bits = signed ? bitsStored : Math.max(bitsStored, 32 - Integer.numberOfLeadingZeros(max));
      return new Frame(values, bits);
    }

    static void requireLength(int length, int count, String source) throws ImageReadException {
      if (length < count) {
        throw new ImageReadException(
            source, "pixel data holds " + length + " values, fewer than the " + count + " of one frame; truncated file?");
      }
    }

    /** 8-bit pixels that PixelMed kept as 16-bit words (little endian: low byte first). */
    static byte[] bytesOf(short[] words) {
      if (words == null) {
        return null;
      }
      byte[] bytes = new byte[words.length * 2];
      for (int i = 0; i < words.length; i++) {
        bytes[2 * i] = (byte) words[i];
        bytes[2 * i + 1] = (byte) (words[i] >> 8);
      }
      return bytes;
    }
  }
}
