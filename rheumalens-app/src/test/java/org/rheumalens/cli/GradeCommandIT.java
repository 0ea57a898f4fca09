package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.testing.SharedData;
import org.rheumalens.testing.TestDicom;

/** {@code rheumalens grade} on good and bad inputs, as a user runs it. */
class GradeCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The owners' hip films came as RGB DICOM with three equal channels and were all refused as "colour image" before
   * the out-of-distribution gate saw them. Read as grey, a hip now reaches the gate and is refused as not a knee.
   */
  @Test
  void aGreyRadiographStoredAsRgbReachesTheGate(@TempDir Path dir) throws Exception {
    Path original = SharedData.dicom("uncompressed-twins/RG2_from_JLSL_ExplicitLE.dcm");
    Radiograph grey = RadiographReader.standard().read(original);
    byte[] interleaved = new byte[3 * grey.values().length];
    for (int i = 0; i < grey.values().length; i++) {
      interleaved[3 * i] = interleaved[3 * i + 1] = interleaved[3 * i + 2] = (byte) ((int) grey.values()[i] >> 2);
    }
    Path rgb = TestDicom.colourCopy(original, "RGB", 0, 8, interleaved, dir.resolve("hip-rgb.dcm"));
    CliRun run = CliRun.of("grade", "--json", rgb.toString());
    JsonNode result = new ObjectMapper().readTree(run.out().lines().findFirst().orElseThrow());
    assertThat(result.has("error")).as(run.out()).isFalse();
    assertThat(result.get("message").asText()).contains("not a knee radiograph");
    assertThat(result.get("review_reasons").toString()).contains("ood");
  }

  @Test
  void gradesGoodFilesAndReportsEachBadOneWithoutStopping(@TempDir Path dir) throws Exception {
    Path knee = firstKnee();
    Path inputs = Files.createDirectories(dir.resolve("inputs"));
    Files.copy(knee, inputs.resolve("a-good.png"));
    Files.write(inputs.resolve("b-empty.png"), new byte[0]);
    Files.write(inputs.resolve("c-truncated.png"), java.util.Arrays.copyOf(Files.readAllBytes(knee), 200));
    Files.writeString(inputs.resolve("d-notes.png"), "not an image at all\n");
    Files.copy(knee, inputs.resolve("e-png-named.dcm"));
    Files.write(inputs.resolve("f-bomb.png"), pngHeaderClaiming(40_000, 40_000));
    writeSixteenBit(knee, inputs.resolve("g-sixteen-bit.png"));
    writeColourPhoto(inputs.resolve("h-photo.png"));
    Files.copy(SharedData.dicom("radiographs/RG2_JPLL.dcm"), inputs.resolve("i-hip.dcm"));
    Files.copy(SharedData.dicom("codec-variety/US1_J2KR.dcm"), inputs.resolve("j-ultrasound-colour.dcm"));

    // The bundled model, with its fitted out-of-distribution gate.
    CliRun run = CliRun.of("grade", "--json", inputs.toString());

    assertThat(run.exitCode()).as("some inputs failed").isEqualTo(1);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(10);
    assertGraded(lines.get(0), "a-good.png");
    assertFailed(lines.get(1), "b-empty.png", "empty");
    assertFailed(lines.get(2), "c-truncated.png", "truncated");
    assertFailed(lines.get(3), "d-notes.png", "not a PNG, JPEG, TIFF, BMP or DICOM");
    assertGraded(lines.get(4), "e-png-named.dcm");
    assertFailed(lines.get(5), "f-bomb.png", "decompression bomb");
    assertGraded(lines.get(6), "g-sixteen-bit.png");
    assertFailed(lines.get(7), "h-photo.png", "colour");
    assertRefused(lines.get(8), "i-hip.dcm");
    assertFailed(lines.get(9), "j-ultrasound-colour.dcm", "YBR_RCT");
  }

  @Test
  void humanReadableOutputShowsGradeProbabilitiesConfidenceAndTime() throws Exception {
    Path knee = firstKnee();
    CliRun run = CliRun.of("grade", knee.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(knee.toString())
        .containsPattern("KL[0-4]  confidence 0\\.\\d{3}  p=\\[(0\\.\\d{3} ?){5}\\]  (auto-accept|REVIEW [a-z_,]+)  \\d+\\.\\d ms");
  }

  @Test
  void sixteenBitCopyGetsTheSameProbabilitiesAsTheEightBitOriginal(@TempDir Path dir) throws Exception {
    Path knee = firstKnee();
    Path sixteen = dir.resolve("sixteen.png");
    writeSixteenBit(knee, sixteen);
    CliRun run = CliRun.of("grade", "--json", "--model", TinyModel.get().toString(), knee.toString(), sixteen.toString());

    String[] lines = run.out().split("\n");
    JsonNode eight = JSON.readTree(lines[0]).get("probabilities");
    JsonNode wide = JSON.readTree(lines[1]).get("probabilities");
    for (int k = 0; k < 5; k++) {
      assertThat(wide.get(k).asDouble()).isCloseTo(eight.get(k).asDouble(), org.assertj.core.data.Offset.offset(0.02));
    }
  }

  private static void assertGraded(JsonNode line, String name) {
    assertThat(line.get("file").asText()).endsWith(name);
    assertThat(line.has("error")).as(line.toString()).isFalse();
    assertThat(line.get("grade").asInt()).isBetween(0, 4);
    assertThat(line.get("probabilities")).hasSize(5);
    double sum = 0;
    for (JsonNode p : line.get("probabilities")) {
      sum += p.asDouble();
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(line.get("confidence").asDouble()).isEqualTo(line.get("probabilities").get(line.get("grade").asInt()).asDouble());
    assertThat(line.get("ms").asDouble()).isPositive();
    assertThat(line.get("ood").get("flagged").asBoolean()).isFalse();
    assertThat(line.get("needs_review").isBoolean()).isTrue();
    assertThat(line.get("review_reasons").isArray()).isTrue();
    assertThat(line.get("needs_review").asBoolean()).isEqualTo(line.get("review_reasons").size() > 0);
    assertThat(line.get("uncertainty").get("entropy").asDouble()).isBetween(0.0, Math.log(5) + 1e-6);
  }

  private static void assertRefused(JsonNode line, String name) {
    assertThat(line.get("file").asText()).endsWith(name);
    assertThat(line.has("error")).as(line.toString()).isFalse();
    assertThat(line.has("grade")).as("no grade for a refused input").isFalse();
    assertThat(line.get("ood").get("flagged").asBoolean()).isTrue();
    assertThat(line.get("ood").get("score").asDouble()).isGreaterThan(line.get("ood").get("threshold").asDouble());
    assertThat(line.get("needs_review").asBoolean()).isTrue();
    assertThat(line.get("review_reasons").toString()).contains("ood");
    assertThat(line.get("message").asText()).contains("not a knee radiograph");
  }

  private static void assertFailed(JsonNode line, String name, String cause) {
    assertThat(line.get("file").asText()).endsWith(name);
    assertThat(line.has("grade")).isFalse();
    assertThat(line.get("error").asText()).contains(name).containsIgnoringCase(cause);
  }

  static Path firstKnee() throws Exception {
    try (var files = Files.list(SharedData.kneeKl().resolve("val/2"))) {
      return files.sorted().findFirst().orElseThrow();
    }
  }

  /** The same pixels scaled to 16 bits (value * 257), as a 16-bit greyscale PNG. */
  static void writeSixteenBit(Path eightBit, Path out) throws Exception {
    BufferedImage source = ImageIO.read(eightBit.toFile());
    BufferedImage wide = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < source.getHeight(); y++) {
      for (int x = 0; x < source.getWidth(); x++) {
        wide.getRaster().setSample(x, y, 0, source.getRaster().getSample(x, y, 0) * 257);
      }
    }
    ImageIO.write(wide, "png", out.toFile());
  }

  private static void writeColourPhoto(Path out) throws Exception {
    BufferedImage photo = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(1);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        photo.setRGB(x, y, random.nextInt(0xffffff));
      }
    }
    ImageIO.write(photo, "png", out.toFile());
  }

  /** A PNG signature and IHDR announcing a huge greyscale image: refused before any pixel is decoded. */
  static byte[] pngHeaderClaiming(int width, int height) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4 + 12);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}).putInt(13).put(ihdr.array())
        .putInt((int) crc.getValue());
    png.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xAE426082);
    return png.array();
  }
}
