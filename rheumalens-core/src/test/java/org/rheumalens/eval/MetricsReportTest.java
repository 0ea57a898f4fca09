package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReportTest {

  static {
    // The report must render on servers without a display; this only takes effect if AWT is not yet started.
    System.setProperty("java.awt.headless", "true");
  }

  private static final List<String> GRADES = List.of("KL0", "KL1", "KL2", "KL3", "KL4");

  @TempDir Path dir;

  @Test
  void writesMetricsJsonWithEveryKeyInItsShape() throws Exception {
    SyntheticGrades data = SyntheticGrades.sample(400, 21);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", "kl-resnet18");
    model.put("version", "0.1.0");
    MetricsReport report = MetricsReport.compute(GRADES, data.truth(), data.predicted(), new Bootstrap(200, 5))
        .withModel(model)
        .withData(Map.of("folder", "/data/test"));

    report.write(dir);
    JsonNode json = new ObjectMapper().readTree(dir.resolve(MetricsReport.JSON_FILE).toFile());

    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("n", "accuracy", "balanced_accuracy", "quadratic_weighted_kappa", "mae",
        "per_grade_recall", "confusion_matrix", "ci95", "grades", "bootstrap", "model", "data");

    GradingMetrics point = data.metrics();
    assertThat(json.get("n").intValue()).isEqualTo(400);
    assertThat(json.get("accuracy").doubleValue()).isEqualTo(point.accuracy());
    assertThat(json.get("quadratic_weighted_kappa").doubleValue()).isEqualTo(point.quadraticWeightedKappa());
    assertThat(json.get("per_grade_recall")).hasSize(5).allMatch(JsonNode::isNumber);

    JsonNode confusion = json.get("confusion_matrix");
    assertThat(confusion).hasSize(5);
    long total = 0;
    for (int i = 0; i < 5; i++) {
      assertThat(confusion.get(i)).hasSize(5).allMatch(JsonNode::isIntegralNumber);
      for (int j = 0; j < 5; j++) {
        assertThat(confusion.get(i).get(j).longValue()).isEqualTo(point.confusion().count(i, j));
        total += confusion.get(i).get(j).longValue();
      }
    }
    assertThat(total).isEqualTo(400);

    JsonNode ci = json.get("ci95");
    assertThat(ci.size()).isEqualTo(4);
    for (ScalarMetric metric : ScalarMetric.values()) {
      JsonNode pair = ci.get(metric.key());
      assertThat(pair).as(metric.key()).hasSize(2).allMatch(JsonNode::isNumber);
      assertThat(pair.get(0).doubleValue()).isLessThanOrEqualTo(pair.get(1).doubleValue());
    }

    assertThat(json.get("grades")).extracting(JsonNode::asText).containsExactlyElementsOf(GRADES);
    assertThat(json.get("bootstrap").get("resamples").intValue()).isEqualTo(200);
    assertThat(json.get("bootstrap").get("seed").longValue()).isEqualTo(5);
    assertThat(json.get("model").get("name").asText()).isEqualTo("kl-resnet18");
    assertThat(json.get("data").get("folder").asText()).isEqualTo("/data/test");
  }

  @Test
  void gradeWithoutCasesHasNullRecallAndNoModelOrDataKeysWhenNotGiven() throws Exception {
    int[] truth = {0, 0, 1, 2, 2, 3, 3, 1};
    int[] predicted = {0, 1, 1, 2, 3, 3, 4, 1};
    MetricsReport.compute(GRADES, truth, predicted, new Bootstrap(50, 1)).write(dir);

    JsonNode json = new ObjectMapper().readTree(dir.resolve(MetricsReport.JSON_FILE).toFile());
    JsonNode recall = json.get("per_grade_recall");
    assertThat(recall).hasSize(5);
    assertThat(recall.get(4).isNull()).isTrue();
    assertThat(recall.get(0).doubleValue()).isEqualTo(0.5);
    assertThat(json.has("model")).isFalse();
    assertThat(json.has("data")).isFalse();
  }

  @Test
  void writesAReadableConfusionMatrixPng() throws Exception {
    SyntheticGrades data = SyntheticGrades.sample(826, 8);
    MetricsReport.compute(GRADES, data.truth(), data.predicted(), new Bootstrap(50, 1)).write(dir);

    BufferedImage png = ImageIO.read(dir.resolve(MetricsReport.CHART_FILE).toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isBetween(400, 1600);
    assertThat(png.getHeight()).isBetween(400, 1600);
    // Diagonal cells hold most of each row, so they are shaded; an empty or failed drawing would be white.
    int shadedPixels = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int rgb = png.getRGB(x, y);
        int brightness = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
        shadedPixels += brightness < 600 ? 1 : 0;
      }
    }
    assertThat(shadedPixels).isGreaterThan(png.getWidth() * png.getHeight() / 20);
  }
}
