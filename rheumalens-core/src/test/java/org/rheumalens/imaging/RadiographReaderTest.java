package org.rheumalens.imaging;

import org.rheumalens.testing.BadInputCorpus;
import org.rheumalens.testing.SharedData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RadiographReaderTest {

  private final RadiographReader reader = RadiographReader.standard();

  @TempDir Path dir;

  @Test
  void anEmptyFileIsRefused() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.png"));
    assertRefused(file, "file is empty (0 bytes)");
  }

  @Test
  void aMissingFileIsRefused() {
    assertRefused(dir.resolve("missing.png"), "not a readable file");
  }

  @Test
  void aTruncatedPngIsRefused() throws IOException {
    byte[] knee = Files.readAllBytes(kneePng());
    Path file = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(knee, 100));
    assertRefused(file, "corrupt or truncated image data");
  }

  @Test
  void textNamedPngIsRefusedByContent() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.png"), "grade 2, see report\n", StandardCharsets.UTF_8);
    assertRefused(file, "not a PNG, JPEG, TIFF, BMP or DICOM file");
  }

  @Test
  void textStartingWithBmIsNotTakenForABitmap() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.bmp"), "BMI 31, grade 2, see report\n", StandardCharsets.UTF_8);
    assertRefused(file, "not a PNG, JPEG, TIFF, BMP or DICOM file");
  }

  @Test
  void dicomNamedPngIsReadAsDicom() throws IOException {
    Path file = Files.copy(SharedData.dicom("codec-variety/CT_small.dcm"), dir.resolve("scan.png"));
    Radiograph image = reader.read(file);
    assertThat(image.format()).isEqualTo("DICOM 1.2.840.10008.1.2.1");
    assertThat(image.modality()).isEqualTo("CT");
  }

  @Test
  void aPngHeaderClaiming40000SquareIsRefusedBeforeDecoding() throws IOException {
    Path file = Files.write(dir.resolve("bomb.png"), BadInputCorpus.pngHeaderOnly(40000, 40000));
    assertThat(Files.size(file)).isLessThan(100);
    assertRefused(file, "40000x40000 pixels").hasMessageContaining("decompression bomb");
  }

  @Test
  void sixteenBitGreyPngKeepsItsValues() throws IOException {
    BufferedImage grey = new BufferedImage(32, 16, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        grey.getRaster().setSample(x, y, 0, 1000 + 100 * x + y);
      }
    }
    Path file = dir.resolve("deep.png");
    ImageIO.write(grey, "png", file.toFile());
    Radiograph image = reader.read(file);
    assertThat(image.bitsStored()).isEqualTo(16);
    assertThat(image.value(31, 15)).isEqualTo(1000 + 3100 + 15);
    assertThat(image.value(0, 0)).isEqualTo(1000);
  }

  @Test
  void aColourPhotoIsRefused() throws IOException {
    Path png = dir.resolve("holiday.png");
    ImageIO.write(colourful(64, 64), "png", png.toFile());
    assertRefused(png, "colour image (RGB");
    Path jpeg = dir.resolve("holiday.jpg");
    ImageIO.write(colourful(64, 64), "jpeg", jpeg.toFile());
    assertRefused(jpeg, "colour image (RGB");
  }

  @Test
  void colourIsReadAsLumaWhenTheTaskAcceptsColour() throws IOException {
    BufferedImage rgb = greyAsRgb(64, 64);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        rgb.setRGB(x, y, 200 << 16 | 40 << 8 | 90); // a colour Doppler patch: 512 of 4096 pixels
      }
    }
    Path png = dir.resolve("doppler.png");
    ImageIO.write(rgb, "png", png.toFile());
    assertRefused(png, "colour image (RGB, 13% of pixels in colour); a radiograph must be greyscale");

    RadiographReader toGrey = RadiographReader.standard(ColourHandling.TO_GREY);
    Radiograph image = toGrey.read(png);
    assertThat(image.value(5, 5)).isEqualTo(Math.round(0.299f * 200 + 0.587f * 40 + 0.114f * 90));
    assertThat(image.value(40, 40)).isEqualTo(rgb.getRGB(40, 40) & 0xff);
    assertThat(image.bitsStored()).isEqualTo(8);

    Path jpeg = dir.resolve("doppler.jpg");
    ImageIO.write(rgb, "jpeg", jpeg.toFile());
    assertRefused(jpeg, "colour image (RGB");
    // Lossy, so near the patch's luma of 88 (6 off as ImageIO writes it), and far from the channel mean of 110.
    assertThat(toGrey.read(jpeg).value(8, 8)).isCloseTo(88f, within(8f));
  }

  @Test
  void aPalettePngIsReadThroughItsPalette() throws IOException {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) {
      levels[i] = (byte) (255 - i);
    }
    BufferedImage indexed =
        new BufferedImage(
            16, 16, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, levels, levels, levels));
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        indexed.getRaster().setSample(x, y, 0, 16 * y + x);
      }
    }
    Path file = dir.resolve("palette.png");
    ImageIO.write(indexed, "png", file.toFile());
    Radiograph image = reader.read(file);
    assertThat(image.value(3, 0)).isEqualTo(252);
    assertThat(image.value(15, 15)).isEqualTo(0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bmp", "tiff"})
  void bmpAndTiffAreReadGreyOrGreyAsRgb(String format) throws IOException {
    BufferedImage rgb = greyAsRgb(48, 32);
    BufferedImage grey = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 48; x++) {
        grey.getRaster().setSample(x, y, 0, rgb.getRGB(x, y) & 0xff);
      }
    }
    Path greyFile = dir.resolve("grey." + format);
    Path rgbFile = dir.resolve("rgb." + format);
    assertThat(ImageIO.write(grey, format, greyFile.toFile())).isTrue();
    assertThat(ImageIO.write(rgb, format, rgbFile.toFile())).isTrue();
    for (Path file : new Path[] {greyFile, rgbFile}) {
      Radiograph image = reader.read(file);
      assertThat(image.format()).as(file.toString()).isEqualTo(format.toUpperCase(java.util.Locale.ROOT));
      assertThat(image.width()).isEqualTo(48);
      assertThat(image.height()).isEqualTo(32);
      assertThat(image.bitsStored()).isEqualTo(8);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 48; x++) {
          assertThat(image.value(x, y)).as("%s (%d,%d)", file, x, y).isEqualTo(rgb.getRGB(x, y) & 0xff);
        }
      }
    }
    Path colour = dir.resolve("holiday." + format);
    ImageIO.write(colourful(32, 32), format, colour.toFile());
    assertRefused(colour, "colour image (RGB");
  }

  @Test
  void sixteenBitGreyTiffKeepsItsValues() throws IOException {
    BufferedImage grey = new BufferedImage(32, 16, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        grey.getRaster().setSample(x, y, 0, 1000 + 100 * x + y);
      }
    }
    Path file = dir.resolve("deep.tif");
    ImageIO.write(grey, "tiff", file.toFile());
    Radiograph image = reader.read(file);
    assertThat(image.bitsStored()).isEqualTo(16);
    assertThat(image.value(31, 15)).isEqualTo(1000 + 3100 + 15);
  }

  @Test
  void aTiffHeaderClaiming40000SquareIsRefusedBeforeDecoding() throws IOException {
    Path file = Files.write(dir.resolve("bomb.tif"), tiffHeaderOnly(40000, 40000));
    assertThat(Files.size(file)).isLessThan(200);
    assertRefused(file, "40000x40000 pixels").hasMessageContaining("decompression bomb");
  }

  @Test
  void greyStoredAsRgbIsAccepted() throws IOException {
    BufferedImage rgb = greyAsRgb(64, 64);
    Path png = dir.resolve("grey-rgb.png");
    ImageIO.write(rgb, "png", png.toFile());
    Radiograph image = reader.read(png);
    assertThat(image.value(10, 20)).isEqualTo(rgb.getRGB(10, 20) & 0xff);
  }

  @Test
  void greyJpegWithChromaNoiseIsAccepted() throws IOException {
    // A scanned film's colour noise is blotchy, so it survives JPEG chroma subsampling: channels a few levels apart.
    BufferedImage rgb = greyAsRgb(64, 64);
    Random random = new Random(3);
    int[][] cast = new int[16 * 16][];
    for (int i = 0; i < cast.length; i++) {
      cast[i] = new int[] {random.nextInt(11) - 5, random.nextInt(11) - 5};
    }
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int v = rgb.getRGB(x, y) & 0xff;
        int[] c = cast[(y / 4) * 16 + x / 4];
        int r = Math.max(0, Math.min(255, v + c[0]));
        int b = Math.max(0, Math.min(255, v + c[1]));
        rgb.setRGB(x, y, r << 16 | v << 8 | b);
      }
    }
    Path jpeg = dir.resolve("grey-noisy.jpg");
    ImageIO.write(rgb, "jpeg", jpeg.toFile());
    assertThat(reader.read(jpeg).width()).isEqualTo(64);
  }

  @Test
  void aSmallColouredMarkerOnAGreyImageIsAccepted() throws IOException {
    BufferedImage rgb = greyAsRgb(100, 100);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 2; x++) {
        rgb.setRGB(x, y, 0xff0000); // 8 of 10000 pixels: a burnt-in red "R"
      }
    }
    Path file = dir.resolve("marker.png");
    ImageIO.write(rgb, "png", file.toFile());
    assertThat(reader.read(file).height()).isEqualTo(100);
  }

  private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file, String cause) {
    return assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining(cause);
  }

  private static Path kneePng() throws IOException {
    try (var files = Files.list(SharedData.data("knee-kl").resolve("val/0"))) {
      return files.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
  }

  private static BufferedImage colourful(int width, int height) {
    Random random = new Random(42);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  private static BufferedImage greyAsRgb(int width, int height) {
    Random random = new Random(7);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = Math.min(255, 2 * x + y + random.nextInt(16));
        image.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    return image;
  }

  /** A little-endian TIFF whose one IFD states the size of an 8-bit grey image, with a single byte of pixel data. */
  private static byte[] tiffHeaderOnly(int width, int height) {
    int[][] entries = { // tag, type (3 SHORT, 4 LONG), value
      {256, 4, width}, {257, 4, height}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
      {273, 4, 8 + 2 + 9 * 12 + 4}, {277, 3, 1}, {278, 4, height}, {279, 4, 1}
    };
    java.nio.ByteBuffer tiff =
        java.nio.ByteBuffer.allocate(8 + 2 + entries.length * 12 + 4 + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    tiff.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) entries.length);
    for (int[] e : entries) {
      tiff.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
      if (e[1] == 3) {
        tiff.putShort((short) e[2]).putShort((short) 0);
      } else {
        tiff.putInt(e[2]);
      }
    }
    tiff.putInt(0).put((byte) 0);
    return tiff.array();
  }

}
