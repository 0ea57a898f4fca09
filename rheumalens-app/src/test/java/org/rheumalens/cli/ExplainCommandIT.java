package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.io.NpyFile;
import org.rheumalens.testing.SharedData;

/** {@code rheumalens grade --explain}: heatmap overlays and raw maps for graded inputs, none for refused ones. */
class ExplainCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesGradCamAndOcclusionOverlaysAndRawMaps(@TempDir Path dir) throws Exception {
    Path knee = GradeCommandIT.firstKnee();
    Path hip = SharedData.dicom("radiographs/RG2_JPLL.dcm");
    Path out = dir.resolve("heatmaps");
    CliRun run = CliRun.of("grade", "--json", "--explain", out.toString(), knee.toString(), hip.toString());

    assertThat(run.exitCode()).isZero();
    String[] lines = run.out().split("\n");
    JsonNode graded = JSON.readTree(lines[0]);
    JsonNode explanations = graded.get("explanations");
    assertThat(explanations).as(lines[0]).isNotNull();
    for (String method : new String[] {"gradcam", "occlusion"}) {
      Path png = Path.of(explanations.get(method).asText());
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).as("2x overlay plus legend").isGreaterThan(2 * 224);
      assertThat(image.getHeight()).isGreaterThan(2 * 224);
      NpyFile.Array raw = NpyFile.read(Path.of(explanations.get(method + "_raw").asText()));
      assertThat(raw.shape()).containsExactly(224, 224);
      float max = Float.NEGATIVE_INFINITY;
      for (float v : raw.data()) {
        max = Math.max(max, v);
      }
      assertThat(max).as("%s map has positive evidence", method).isPositive();
    }
    JsonNode refused = JSON.readTree(lines[1]);
    assertThat(refused.has("grade")).isFalse();
    assertThat(refused.has("explanations")).as("no heatmap for a refused input").isFalse();
  }

  @Test
  void explainsAChosenGrade(@TempDir Path dir) throws Exception {
    Path knee = GradeCommandIT.firstKnee();
    CliRun run = CliRun.of("grade", "--explain", dir.toString(), "--explain-grade", "KL4", "--explain-method", "gradcam",
        knee.toString());

    assertThat(run.exitCode()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(stem(knee) + ".gradcam.npy", stem(knee) + ".gradcam.png");
    }
    CliRun bad = CliRun.of("grade", "--explain", dir.toString(), "--explain-grade", "KL9", knee.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("KL9").contains("[KL0, KL1, KL2, KL3, KL4]");
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }
}
