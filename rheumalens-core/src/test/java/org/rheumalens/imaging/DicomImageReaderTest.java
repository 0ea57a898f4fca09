package org.rheumalens.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rheumalens.testing.SharedData;
import org.rheumalens.testing.TestDicom;

class DicomImageReaderTest {

  /** What PixelMed alone cannot decode, by file name, with the transfer syntax the message must name. */
  private static final Map<String, String> UNSUPPORTED_WITHOUT_DCMTK =
      Map.of(
          "RG1_JLSN.dcm", "1.2.840.10008.1.2.4.81",
          "RG2_JLSL.dcm", "1.2.840.10008.1.2.4.80",
          "RG2_JLSN.dcm", "1.2.840.10008.1.2.4.81",
          "RG2_JPLY_fixed.dcm", "1.2.840.10008.1.2.4.51",
          "JPGExtended.dcm", "1.2.840.10008.1.2.4.51",
          "MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80",
          "emri_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80");

  /** Colour files, by name, with the photometric interpretation the message must name. */
  private static final Map<String, String> COLOUR =
      Map.of("SC_rgb_jpeg_dcmtk.dcm", "YBR_FULL", "US1_J2KR.dcm", "YBR_RCT", "US1_UNCR.dcm", "RGB");

  private final DicomImageReader pixelMedOnly = new DicomImageReader(DcmtkTranscoder.disabled());
  private final DicomImageReader withDcmtk = new DicomImageReader();
  private final DicomImageReader colourToGrey =
      new DicomImageReader(DcmtkTranscoder.disabled(), ColourHandling.TO_GREY);

  static Stream<Path> dicomFiles() throws IOException {
    Path radiographs = SharedData.dicom("radiographs");
    Path variety = SharedData.dicom("codec-variety");
    try (Stream<Path> a = Files.list(radiographs);
        Stream<Path> b = Files.list(variety)) {
      return Stream.concat(a.toList().stream(), b.toList().stream()).sorted();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dicomFiles")
  void everyFileDecodesOrFailsWithItsCause(Path file) throws Exception {
    String name = file.getFileName().toString();
    if (UNSUPPORTED_WITHOUT_DCMTK.containsKey(name)) {
      String uid = UNSUPPORTED_WITHOUT_DCMTK.get(name);
      String tool = uid.startsWith("1.2.840.10008.1.2.4.8") ? "dcmdjpls" : "dcmdjpeg";
      assertThatThrownBy(() -> read(pixelMedOnly, file))
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("DICOM transfer syntax " + uid + " (")
          .hasMessageContaining("is not supported")
          .hasMessageContaining("transcode with " + tool + " (dcmtk)");
    } else if (COLOUR.containsKey(name)) {
      assertThatThrownBy(() -> read(pixelMedOnly, file))
          .isInstanceOf(ImageReadException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("colour image (" + COLOUR.get(name) + "); a radiograph must be MONOCHROME1 or")
          .hasMessageContaining("% of pixels in colour)");
    } else {
      assertDecoded(file, pixelMedOnly);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "radiographs/RG1_JLSN.dcm",
        "radiographs/RG2_JLSN.dcm",
        "radiographs/RG2_JPLY_fixed.dcm",
        "codec-variety/JPGExtended.dcm",
        "codec-variety/MR_small_jpeg_ls_lossless.dcm",
        "codec-variety/emri_small_jpeg_ls_lossless.dcm"
      })
  void dcmtkDecodesWhatPixelMedCannot(String relative) throws Exception {
    assumeDcmtk();
    assertDecoded(SharedData.dicom(relative), withDcmtk);
  }

  @Test
  void jpegLsThroughDcmtkMatchesTheIndependentDecode() throws Exception {
    assumeDcmtk();
    assertSamePixels(
        read(withDcmtk, SharedData.dicom("radiographs/RG2_JLSL.dcm")),
        read(withDcmtk, SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm")));
  }

  @Test
  void lossy12BitJpegThroughDcmtkIsCloseToTheLosslessImage() throws Exception {
    assumeDcmtk();
    Radiograph lossy = read(withDcmtk, SharedData.dicom("radiographs/RG2_JPLY_fixed.dcm"));
    Radiograph exact = read(withDcmtk, SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm"));
    double sum = 0;
    for (int i = 0; i < exact.values().length; i++) {
      sum += Math.abs(lossy.values()[i] - exact.values()[i]);
    }
    // 10-bit values (0..1023): a lossy decode is off by a few levels, a wrong one by hundreds.
    assertThat(sum / exact.values().length).isLessThan(5);
  }

  @Test
  void jpegLosslessMatchesTheIndependentDecode() throws Exception {
    assertSamePixels(
        read(pixelMedOnly, SharedData.dicom("radiographs/RG2_JPLL.dcm")),
        read(pixelMedOnly, SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm")));
  }

  @Test
  void jpeg2000LosslessMatchesTheIndependentDecode() throws Exception {
    Radiograph j2k = read(pixelMedOnly, SharedData.dicom("radiographs/RG3_J2KR.dcm"));
    assertSamePixels(j2k, read(pixelMedOnly, SharedData.dicom("uncompressed-twins/RG3_from_J2KR_ExplicitLE.dcm")));
    assertSamePixels(
        read(pixelMedOnly, SharedData.dicom("codec-variety/MR2_J2KR.dcm")),
        read(pixelMedOnly, SharedData.dicom("codec-variety/MR2_UNCR.dcm")));
  }

  @Test
  void rleBigEndianAndImplicitVrGiveTheSamePixels() throws Exception {
    Radiograph rle = read(pixelMedOnly, SharedData.dicom("codec-variety/MR_small_RLE.dcm"));
    assertSamePixels(rle, read(pixelMedOnly, SharedData.dicom("codec-variety/MR_small_bigendian.dcm")));
    assertSamePixels(rle, read(pixelMedOnly, SharedData.dicom("codec-variety/MR_small_implicit.dcm")));
    assertThat(rle.window()).contains(new Radiograph.Window(600, 1600));
  }

  @Test
  void multiFrameFilesYieldTheirFirstFrame() throws Exception {
    Path file = SharedData.dicom("codec-variety/emri_small.dcm");
    Radiograph first = read(pixelMedOnly, file);
    assertSamePixels(first, read(pixelMedOnly, SharedData.dicom("codec-variety/emri_small_RLE.dcm")));

    AttributeList list = new AttributeList();
    list.read(file.toFile());
    short[] all = list.getPixelData().getShortValues();
    float[] frameOne = new float[64 * 64];
    float[] frameTwo = new float[64 * 64];
    for (int i = 0; i < frameOne.length; i++) {
      frameOne[i] = all[i] & 0xffff;
      frameTwo[i] = all[frameOne.length + i] & 0xffff;
    }
    assertThat(first.values()).containsExactly(frameOne).isNotEqualTo(frameTwo);
  }

  @Test
  void monochrome1IsInverted() throws Exception {
    for (String f :
        new String[] {
          "radiographs/RG3_J2KR.dcm", "radiographs/966_fixed.dcm", "radiographs/CR_MONO1_16x16_dicomdirtest_6154.dcm"
        }) {
      assertThat(read(pixelMedOnly, SharedData.dicom(f)).invert()).as(f).isTrue();
    }
    assertThat(read(pixelMedOnly, SharedData.dicom("radiographs/RG2_JPLL.dcm")).invert()).isFalse();
  }

  @Test
  void pixelSpacingComesFromPixelSpacingElseImagerPixelSpacing() throws Exception {
    // dcmdump +P 0028,0030 CT_small.dcm: [0.661468\0.661468]
    assertThat(read(pixelMedOnly, SharedData.dicom("codec-variety/CT_small.dcm")).pixelSpacing())
        .contains(new Radiograph.PixelSpacing(0.661468, 0.661468, "PixelSpacing"));
    // No (0028,0030); dcmdump +P 0018,1164: [0.1000\0.1000]
    assertThat(read(pixelMedOnly, SharedData.dicom("radiographs/CR_MONO1_16x16_dicomdirtest_6154.dcm")).pixelSpacing())
        .contains(new Radiograph.PixelSpacing(0.1, 0.1, "ImagerPixelSpacing"));
    // RG1 states 0.000\0.000, which means unknown.
    assertThat(read(pixelMedOnly, SharedData.dicom("radiographs/RG1_J2KI.dcm")).pixelSpacing()).isEmpty();
  }

  @Test
  void rescaleSlopeAndInterceptAreApplied() throws Exception {
    // dcmdump: CT_small stores 0x00af at (0,0), signed, slope 1, intercept -1024.
    Radiograph ct = read(pixelMedOnly, SharedData.dicom("codec-variety/CT_small.dcm"));
    assertThat(ct.value(0, 0)).isEqualTo(0xaf - 1024f);
    assertThat(ct.modality()).isEqualTo("CT");
    assertThat(ct.window()).isEmpty();
    // The 16x16 CR stores 0x07ca at (0,0), slope 0.684, intercept 200.
    Radiograph cr = read(pixelMedOnly, SharedData.dicom("radiographs/CR_MONO1_16x16_dicomdirtest_6154.dcm"));
    assertThat(cr.value(0, 0)).isCloseTo((float) (0x07ca * 0.684 + 200), within(1e-3f));
    assertThat(cr.window()).contains(new Radiograph.Window(1600, 2800));
  }

  @Test
  void valuesBeyondTheDeclaredBitsStoredAreKept() throws Exception {
    // The hand declares 12 bits stored but its JPEG 2000 codestream is 16-bit: masking would wreck the image.
    Radiograph hand = read(pixelMedOnly, SharedData.dicom("radiographs/NM_Kakadu44_SOTmarkerincons.dcm"));
    float max = 0;
    for (float v : hand.values()) {
      max = Math.max(max, v);
    }
    assertThat(max).isGreaterThan(4095);
    assertThat(hand.bitsStored()).isEqualTo(32 - Integer.numberOfLeadingZeros((int) max));
  }

  @Test
  void greyStoredAsRgbIsReadAsGreyByTheStandardReader(@TempDir Path dir) throws Exception {
    Path original = SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm");
    Radiograph grey = read(pixelMedOnly, original);
    int count = grey.values().length;

    // The full 10-bit values in 16-bit words, planes R, G, B one after the other.
    short[] planes = new short[3 * count];
    for (int i = 0; i < count; i++) {
      planes[i] = planes[count + i] = planes[2 * count + i] = (short) grey.values()[i];
    }
    Radiograph deep = read(pixelMedOnly, TestDicom.colourCopy(original, "RGB", 1, 10, planes, dir.resolve("rgb16.dcm")));
    assertSamePixels(deep, grey);
    assertThat(deep.bitsStored()).isEqualTo(10);
    assertThat(deep.modality()).isEqualTo("CR");
    assertThat(deep.pixelSpacing()).contains(new Radiograph.PixelSpacing(0.2, 0.2, "PixelSpacing"));
    assertThat(deep.invert()).isFalse();

    // Eight bits, pixel-interleaved, as the hip films came.
    byte[] interleaved = new byte[3 * count];
    float[] eightBit = new float[count];
    for (int i = 0; i < count; i++) {
      int v = (int) grey.values()[i] >> 2;
      interleaved[3 * i] = interleaved[3 * i + 1] = interleaved[3 * i + 2] = (byte) v;
      eightBit[i] = v;
    }
    Radiograph hip = read(pixelMedOnly, TestDicom.colourCopy(original, "RGB", 0, 8, interleaved, dir.resolve("rgb8.dcm")));
    assertSameValues(hip.values(), eightBit);
    assertThat(hip.bitsStored()).isEqualTo(8);
    assertThat(hip.modality()).isEqualTo("CR");
    assertThat(hip.pixelSpacing()).contains(new Radiograph.PixelSpacing(0.2, 0.2, "PixelSpacing"));
  }

  @Test
  void greyStoredAsYbrIsReadAsGrey(@TempDir Path dir) throws Exception {
    Path original = SharedData.dicom("codec-variety/US1_UNCR.dcm");
    byte[] rgb = pixelBytes(original);
    int count = rgb.length / 3;
    float[] luma = new float[count];
    byte[] full = new byte[3 * count];
    byte[] subsampled = new byte[2 * count];
    for (int i = 0; i < count; i++) {
      luma[i] = Math.round(lumaOf(rgb, i));
      full[3 * i] = (byte) luma[i];
      full[3 * i + 1] = full[3 * i + 2] = (byte) 128;
      subsampled[4 * (i / 2) + i % 2] = (byte) luma[i];
      subsampled[4 * (i / 2) + 2] = subsampled[4 * (i / 2) + 3] = (byte) 128;
    }
    assertSameValues(
        read(pixelMedOnly, TestDicom.colourCopy(original, "YBR_FULL", 0, 8, full, dir.resolve("ybr.dcm"))).values(), luma);
    Path ybr422 = TestDicom.colourCopy(original, "YBR_FULL_422", 0, 8, subsampled, dir.resolve("ybr422.dcm"));
    assertSameValues(read(pixelMedOnly, ybr422).values(), luma);
  }

  @Test
  void colourUltrasoundIsReadAsLumaWhenTheTaskAcceptsColour() throws Exception {
    Path file = SharedData.dicom("codec-variety/US1_UNCR.dcm");
    Radiograph uncompressed = read(colourToGrey, file);
    assertSamePixels(read(colourToGrey, SharedData.dicom("codec-variety/US1_J2KR.dcm")), uncompressed);
    assertThat(uncompressed.modality()).isEqualTo("US");
    assertThat(uncompressed.bitsStored()).isEqualTo(8);
    assertThat(uncompressed.format()).isEqualTo("DICOM 1.2.840.10008.1.2.1");

    byte[] rgb = pixelBytes(file);
    float[] luma = new float[rgb.length / 3];
    int coloured = 0;
    for (int i = 0; i < luma.length; i++) {
      luma[i] = Math.round(lumaOf(rgb, i));
      int r = rgb[3 * i] & 0xff;
      int g = rgb[3 * i + 1] & 0xff;
      int b = rgb[3 * i + 2] & 0xff;
      if (Math.abs(r - g) > 40 || Math.abs(r - b) > 40) {
        coloured++;
      }
    }
    assertSameValues(uncompressed.values(), luma);
    assertThat(coloured).as("pixels in strong colour, where luma and the channel mean differ").isGreaterThan(1000);
  }

  @Test
  void colourUltrasoundKeepsItsRgbPlanesForAThreeChannelTask() throws Exception {
    Path file = SharedData.dicom("codec-variety/US1_UNCR.dcm");
    Radiograph colour = read(new DicomImageReader(DcmtkTranscoder.disabled(), ColourHandling.KEEP), file);
    assertThat(colour.channels()).isEqualTo(3);
    byte[] rgb = pixelBytes(file);
    int pixels = rgb.length / 3;
    float[] planes = new float[rgb.length];
    for (int i = 0; i < pixels; i++) {
      for (int c = 0; c < 3; c++) {
        planes[c * pixels + i] = rgb[3 * i + c] & 0xff;
      }
    }
    assertSameValues(colour.values(), planes);
    // A grey file stays grey; the task makes three equal channels of it.
    Radiograph grey = read(new DicomImageReader(DcmtkTranscoder.disabled(), ColourHandling.KEEP),
        SharedData.dicom("codec-variety/CT_small.dcm"));
    assertThat(grey.channels()).isEqualTo(1);
  }

  @Test
  void colourJpegIsReadAsLumaWithItsPixelSpacing() throws Exception {
    Radiograph image = read(colourToGrey, SharedData.dicom("codec-variety/SC_rgb_jpeg_dcmtk.dcm"));
    // dcmdjpeg decodes (0,0) to 254/0/0 and (50,50) to 125/130/255.
    assertThat(image.value(0, 0)).isEqualTo(Math.round(0.299f * 254));
    assertThat(image.value(50, 50)).isEqualTo(Math.round(0.299f * 125 + 0.587f * 130 + 0.114f * 255));
    assertThat(image.pixelSpacing()).contains(new Radiograph.PixelSpacing(1.0, 1.0, "PixelSpacing"));
    assertThat(image.modality()).isEqualTo("OT");
  }

  @Test
  void ybrColourIsConvertedLikeTheRgbOriginal(@TempDir Path dir) throws Exception {
    Path original = SharedData.dicom("codec-variety/US1_UNCR.dcm");
    byte[] rgb = pixelBytes(original);
    int count = rgb.length / 3;
    byte[] planes = new byte[3 * count];
    for (int i = 0; i < count; i++) {
      double r = rgb[3 * i] & 0xff;
      double g = rgb[3 * i + 1] & 0xff;
      double b = rgb[3 * i + 2] & 0xff;
      // PS3.3 C.7.6.3.1.2, the forward transform; planar configuration 1 on the way.
      planes[i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      planes[count + i] = (byte) Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      planes[2 * count + i] = (byte) Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
    }
    Path ybr = TestDicom.colourCopy(original, "YBR_FULL", 1, 8, planes, dir.resolve("ybr.dcm"));
    assertThatThrownBy(() -> read(pixelMedOnly, ybr)).hasMessageContaining("colour image (YBR_FULL); a radiograph");
    float[] converted = read(colourToGrey, ybr).values();
    float[] expected = read(colourToGrey, original).values();
    float worst = 0;
    for (int i = 0; i < count; i++) {
      worst = Math.max(worst, Math.abs(converted[i] - expected[i]));
    }
    // Two roundings of YBR (forward here, inverse in the reader) move luma by a level at most.
    assertThat(worst).isLessThanOrEqualTo(1f);
  }

  @Test
  void paletteColourIsReadThroughItsPalette(@TempDir Path dir) throws Exception {
    short[] reversedGrey = new short[256];
    short[] redRamp = new short[256];
    for (int i = 0; i < 256; i++) {
      reversedGrey[i] = (short) ((255 - i) * 257); // 16-bit entries
      redRamp[i] = (short) (i * 257);
    }
    Path grey = paletteFile(reversedGrey, reversedGrey, reversedGrey, dir.resolve("grey-palette.dcm"));
    Radiograph image = read(pixelMedOnly, grey);
    assertThat(image.value(3, 0)).isEqualTo(252);
    assertThat(image.value(15, 15)).isEqualTo(0);
    assertThat(image.bitsStored()).isEqualTo(8);

    short[] zero = new short[256];
    Path red = paletteFile(redRamp, zero, zero, dir.resolve("red-palette.dcm"));
    assertThatThrownBy(() -> read(pixelMedOnly, red)).hasMessageContaining("colour image (PALETTE COLOR); a radiograph");
    assertThat(read(colourToGrey, red).value(15, 15)).isEqualTo(Math.round(0.299f * 255));
  }

  @Test
  void aHugeHeaderIsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
    AttributeList list = image(SOPClass.DigitalXRayImageStorageForPresentation, 40000, 40000);
    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
    pixels.setValues(new short[4]);
    list.put(pixels);
    Path bomb = write(list, dir.resolve("bomb.dcm"));
    assertThat(Files.size(bomb)).isLessThan(2000);
    assertThatThrownBy(() -> read(pixelMedOnly, bomb))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("bomb.dcm")
        .hasMessageContaining("40000x40000")
        .hasMessageContaining("decompression bomb");
  }

  @Test
  void aFileWithoutPixelDataNamesItsSopClass(@TempDir Path dir) throws Exception {
    AttributeList list = new AttributeList();
    list.putNewAttribute(TagFromName.SOPClassUID).addValue(SOPClass.BasicTextSRStorage);
    list.putNewAttribute(TagFromName.SOPInstanceUID).addValue("1.2.3.4.5.6");
    list.putNewAttribute(TagFromName.Modality).addValue("SR");
    Path report = write(list, dir.resolve("report.dcm"));
    assertThatThrownBy(() -> read(pixelMedOnly, report))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("report.dcm")
        .hasMessageContaining("no pixel data (SOP class Basic Text SR Storage, " + SOPClass.BasicTextSRStorage);
  }

  @Test
  void anImageWhosePixelDataIsMissingIsRefused(@TempDir Path dir) throws Exception {
    Path file = write(image(SOPClass.DigitalXRayImageStorageForPresentation, 8, 8), dir.resolve("empty.dcm"));
    assertThatThrownBy(() -> read(pixelMedOnly, file))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("empty.dcm")
        .hasMessageContaining("no pixel data could be read");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"codec-variety/MR_small_implicit.dcm", "radiographs/RG3_J2KR.dcm", "radiographs/RG2_JPLL.dcm"})
  void truncatedFilesFailWithTheFileName(String relative, @TempDir Path dir) throws Exception {
    byte[] whole = Files.readAllBytes(SharedData.dicom(relative));
    Path cut = dir.resolve("cut.dcm");
    Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
    assertThatThrownBy(() -> read(pixelMedOnly, cut))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("cut.dcm");
  }

  private static Radiograph read(DicomImageReader reader, Path file) throws ImageReadException {
    return reader.read(file, ImageLimits.DEFAULT);
  }

  private static void assertDecoded(Path file, DicomImageReader reader) throws ImageReadException {
    Radiograph image = read(reader, file);
    assertThat(image.source()).isEqualTo(file.toString());
    assertThat(image.format()).startsWith("DICOM 1.2.840.10008.1.2");
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : image.values()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(max).as("a decoded image is not flat").isGreaterThan(min);
  }

  /** Arrays.mismatch, not containsExactly: AssertJ's diff of two megapixel arrays takes minutes. */
  private static void assertSameValues(float[] actual, float[] expected) {
    int first = Arrays.mismatch(actual, expected);
    assertThat(first)
        .as(
            "first differing pixel (%s against %s)",
            first < 0 || first >= actual.length ? "-" : actual[first],
            first < 0 || first >= expected.length ? "-" : expected[first])
        .isEqualTo(-1);
  }

  private static void assertSamePixels(Radiograph actual, Radiograph expected) {
    assertThat(actual.width()).isEqualTo(expected.width());
    assertThat(actual.height()).isEqualTo(expected.height());
    assertThat(Arrays.mismatch(actual.values(), expected.values())).as("index of the first differing pixel").isEqualTo(-1);
  }

  private static void assumeDcmtk() {
    Assumptions.assumeTrue(
        DcmtkTranscoder.fromPath().find("dcmdjpls").isPresent(), "dcmtk (dcmdjpls) is not on the PATH");
  }

  private static AttributeList image(String sopClass, int rows, int columns) throws DicomException {
    return TestDicom.header(sopClass, rows, columns, "MONOCHROME2");
  }

  private static Path write(AttributeList list, Path file) throws Exception {
    return TestDicom.write(list, file);
  }

  /** A 16x16 image of 8-bit indices 0..255 with a 256-entry, 16-bit palette. */
  private static Path paletteFile(short[] red, short[] green, short[] blue, Path file) throws Exception {
    AttributeList list = TestDicom.header(SOPClass.UltrasoundImageStorage, 16, 16, "PALETTE COLOR");
    list.putNewAttribute(TagFromName.BitsAllocated).addValue(8);
    list.putNewAttribute(TagFromName.BitsStored).addValue(8);
    list.putNewAttribute(TagFromName.HighBit).addValue(7);
    AttributeTag[][] tags = {
      {TagFromName.RedPaletteColorLookupTableDescriptor, TagFromName.RedPaletteColorLookupTableData},
      {TagFromName.GreenPaletteColorLookupTableDescriptor, TagFromName.GreenPaletteColorLookupTableData},
      {TagFromName.BluePaletteColorLookupTableDescriptor, TagFromName.BluePaletteColorLookupTableData}
    };
    short[][] entries = {red, green, blue};
    for (int c = 0; c < 3; c++) {
      Attribute descriptor = list.putNewAttribute(tags[c][0]);
      descriptor.addValue(256);
      descriptor.addValue(0);
      descriptor.addValue(16);
      OtherWordAttribute data = new OtherWordAttribute(tags[c][1]);
      data.setValues(entries[c]);
      list.put(data);
    }
    byte[] indices = new byte[256];
    for (int i = 0; i < 256; i++) {
      indices[i] = (byte) i;
    }
    OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
    pixels.setValues(indices);
    list.put(pixels);
    return write(list, file);
  }

  private static double lumaOf(byte[] rgb, int pixel) {
    int r = rgb[3 * pixel] & 0xff;
    int g = rgb[3 * pixel + 1] & 0xff;
    int b = rgb[3 * pixel + 2] & 0xff;
    return 0.299f * r + 0.587f * g + 0.114f * b;
  }

  /** The stored pixel bytes of an uncompressed 8-bit file, as PixelMed reads them. */
  private static byte[] pixelBytes(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list.getPixelData().getByteValues();
  }

  /** A copy of a file's header (modality, pixel spacing...) with 3-sample pixels: byte[] for 8 bits, else short[]. */

}
