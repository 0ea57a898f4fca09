package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.preprocess.GaussianBlur;
import org.rheumalens.testing.SharedData;
import org.rheumalens.testing.TestDicom;

/**
 * The grade must not depend on how a radiograph was contrast-processed or stored. Every val knee is re-made as a raw
 * (un-enhanced) radiograph, two gamma shifts, a 12-bit-in-16 PNG and an inverted MONOCHROME1 DICOM, each written to
 * a file and graded through the whole product path, and its grade compared with the original's. Issue 3 asks for 95%
 * agreement per variant; the bundled model reaches 0.90 (raw) to 0.94 (16-bit, MONOCHROME1) as of 2026-11-27, so
 * the target is not met yet and this test holds the line at {@link #REGRESSION_FLOOR} until a model that meets it is
 * bundled. The table goes to {@code target/robustness/agreement.json}.
 *
 * <p>{@code -Drobustness.model=DIR} measures a candidate model directory instead of the bundled one (the floor still
 * applies), so a model is judged by this same test before it is bundled.
 */
class ContrastRobustnessIT {

  /** What issue 3 asks for. */
  private static final double TARGET_AGREEMENT = 0.95;
  /** What the bundled model must not fall below (measured 0.900-0.939 on 2026-11-27). */
  private static final double REGRESSION_FLOOR = 0.88;

  /** One way of re-making an 8-bit enhanced crop ({@code pixels} 0..255) as another file. */
  private interface Variant {
    Path write(int width, int height, int[] pixels, Path file, SplittableRandom random) throws Exception;
  }

  @Test
  void gradesAgreeAcrossContrastProcessingAndStorage(@TempDir Path dir) throws Exception {
    List<Path> knees;
    try (Stream<Path> files = Files.walk(SharedData.kneeKl().resolve("val"))) {
      knees = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("raw (un-enhanced, 12-bit PNG)", ContrastRobustnessIT::raw);
    variants.put("gamma 0.6", (w, h, p, f, r) -> gamma(w, h, p, f, 0.6));
    variants.put("gamma 1.6", (w, h, p, f, r) -> gamma(w, h, p, f, 1.6));
    variants.put("16-bit PNG (12 bits used)", ContrastRobustnessIT::sixteenBit);
    variants.put("MONOCHROME1 DICOM (inverted, 12-bit)", ContrastRobustnessIT::monochrome1);

    Map<String, int[]> agreeing = new LinkedHashMap<>();
    Map<String, int[]> flagged = new LinkedHashMap<>();
    variants.keySet().forEach(k -> {
      agreeing.put(k, new int[1]);
      flagged.put(k, new int[1]);
    });
    int originalFlagged = 0;
    SplittableRandom random = new SplittableRandom(11);
    String candidate = System.getProperty("robustness.model", "");
    Path modelDir = candidate.isBlank() ? ModelLocation.bundled("knee-kl") : Path.of(candidate);
    System.out.println("contrast robustness of " + modelDir);
    try (Grader grader = Grader.open(modelDir).refuseOutOfDistribution(false)) {
      for (Path knee : knees) {
        GradeResult original = grader.grade(knee);
        assertThat(original.ok()).as(original.error()).isTrue();
        originalFlagged += original.ood().flagged() ? 1 : 0;
        BufferedImage image = ImageIO.read(knee.toFile());
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRaster().getPixels(0, 0, w, h, (int[]) null);
        int index = 0;
        for (Map.Entry<String, Variant> variant : variants.entrySet()) {
          Path file = variant.getValue().write(w, h, pixels, dir.resolve("v" + index++), random);
          GradeResult result = grader.grade(file);
          assertThat(result.ok()).as("%s of %s: %s", variant.getKey(), knee, result.error()).isTrue();
          if (result.grade().equals(original.grade())) {
            agreeing.get(variant.getKey())[0]++;
          }
          if (result.ood().flagged()) {
            flagged.get(variant.getKey())[0]++;
          }
        }
      }
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("model", modelDir.toString());
    table.put("n", knees.size());
    table.put("original_ood_flagged", originalFlagged / (double) knees.size());
    StringBuilder summary = new StringBuilder();
    for (String variant : variants.keySet()) {
      double agreement = agreeing.get(variant)[0] / (double) knees.size();
      double flaggedShare = flagged.get(variant)[0] / (double) knees.size();
      table.put(variant, Map.of("grade_agreement", agreement, "ood_flagged", flaggedShare));
      summary.append(String.format(Locale.ROOT, "%-40s agreement %.3f  OOD-flagged %.3f%n", variant, agreement, flaggedShare));
    }
    Path out = Path.of("target", "robustness");
    Files.createDirectories(out);
    new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(out.resolve("agreement.json").toFile(), table);
    System.out.print(summary);
    long meetingTarget = variants.keySet().stream()
        .filter(v -> agreeing.get(v)[0] / (double) knees.size() >= TARGET_AGREEMENT).count();
    System.out.printf("%d of %d variants meet the %.2f target%n", meetingTarget, variants.size(), TARGET_AGREEMENT);
    for (String variant : variants.keySet()) {
      assertThat(agreeing.get(variant)[0] / (double) knees.size())
          .as("grade agreement with the original, %s%n%s", variant, summary)
          .isGreaterThanOrEqualTo(REGRESSION_FLOOR);
    }
  }

  /**
   * Undoes the enhancement's look: local contrast (detail around a 16-pixel Gaussian) cut to a third, large-scale
   * intensity compressed, an exposure gradient across the film (heel effect), sensor noise, 12-bit values.
   */
  private static Path raw(int w, int h, int[] pixels, Path file, SplittableRandom random) throws IOException {
    float[] s = new float[pixels.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = pixels[i] / 255f;
    }
    float[] low = GaussianBlur.blur(s, w, h, 16, 16);
    int[] out = new int[s.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double v = 0.30 + 0.40 * low[i] + 0.35 * (s[i] - low[i]) + 0.10 * ((double) x / w - 0.5)
            + 0.004 * random.nextGaussian();
        out[i] = (int) Math.round(Math.max(0, Math.min(1, v)) * 4095);
      }
    }
    return writePng16(w, h, out, file.resolveSibling(file.getFileName() + ".png"));
  }

  private static Path gamma(int w, int h, int[] pixels, Path file, double gamma) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      data[i] = (byte) Math.round(255 * Math.pow(pixels[i] / 255.0, gamma));
    }
    Path png = file.resolveSibling(file.getFileName() + ".png");
    ImageIO.write(image, "png", png.toFile());
    return png;
  }

  /** 12-bit values (8-bit value x 16 plus a random low nibble) in a 16-bit PNG. */
  private static Path sixteenBit(int w, int h, int[] pixels, Path file, SplittableRandom random) throws IOException {
    return writePng16(w, h, twelveBit(pixels, random), file.resolveSibling(file.getFileName() + ".png"));
  }

  /** MONOCHROME1: stored values inverted (bone dark in the stored numbers), to be inverted back by the reader. */
  private static Path monochrome1(int w, int h, int[] pixels, Path file, SplittableRandom random) throws Exception {
    int[] values = twelveBit(pixels, random);
    short[] stored = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      stored[i] = (short) (4095 - values[i]);
    }
    AttributeList list = TestDicom.header(SOPClass.DigitalXRayImageStorageForPresentation, h, w, "MONOCHROME1");
    list.putNewAttribute(TagFromName.ImagerPixelSpacing).addValue("0.15\\0.15");
    return TestDicom.write(TestDicom.withPixels(list, stored), file.resolveSibling(file.getFileName() + ".dcm"));
  }

  private static int[] twelveBit(int[] pixels, SplittableRandom random) {
    int[] out = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = pixels[i] * 16 + random.nextInt(16);
    }
    return out;
  }

  private static Path writePng16(int w, int h, int[] values, Path file) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    short[] data = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < values.length; i++) {
      data[i] = (short) values[i];
    }
    ImageIO.write(image, "png", file.toFile());
    return file;
  }
}
