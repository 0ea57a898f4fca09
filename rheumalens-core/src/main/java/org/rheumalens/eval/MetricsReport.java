package org.rheumalens.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An evaluation's result as files: {@code metrics.json} (point estimates, bootstrap intervals, confusion matrix) and
 * {@code confusion_matrix.png}.
 *
 * @param grades grade labels in order, one per confusion-matrix row
 * @param metrics point estimates on all cases
 * @param ci95 bootstrap intervals for the scalar metrics
 * @param model free-form description of the model evaluated (name, version, ...); empty when not given
 * @param data free-form description of the test data (folder, fingerprint, ...); empty when not given
 * @param sections further top-level keys after the first output's metrics ({@code outputs}, {@code subgroups}), in
 *     the order added
 */
public record MetricsReport(
    List<String> grades,
    GradingMetrics metrics,
    ConfidenceIntervals ci95,
    Map<String, Object> model,
    Map<String, Object> data,
    Map<String, Object> sections) {

  public static final String JSON_FILE = "metrics.json";
  public static final String CHART_FILE = "confusion_matrix.png";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public MetricsReport {
    grades = List.copyOf(grades);
    if (grades.size() != metrics.confusion().classes()) {
      throw new IllegalArgumentException(
          grades.size() + " grade labels for " + metrics.confusion().classes() + " classes");
    }
    // Copies keep the caller's insertion order, which is the order the JSON shows.
    model = model == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(model));
    data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    sections = sections == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  /** Point estimates and bootstrap intervals for paired grades, each an index into {@code grades}. */
  public static MetricsReport compute(List<String> grades, int[] truth, int[] predicted, Bootstrap bootstrap) {
    int classes = grades.size();
    return new MetricsReport(
        grades,
        GradingMetrics.compute(classes, truth, predicted),
        bootstrap.intervals(classes, truth, predicted),
        Map.of(),
        Map.of(),
        Map.of());
  }

  public MetricsReport withModel(Map<String, ?> model) {
    return new MetricsReport(grades, metrics, ci95, new LinkedHashMap<>(model), data, sections);
  }

  public MetricsReport withData(Map<String, ?> data) {
    return new MetricsReport(grades, metrics, ci95, model, new LinkedHashMap<>(data), sections);
  }

  /** This report with one more top-level key, written after the first output's metrics. */
  public MetricsReport with(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(sections);
    more.put(key, value);
    return new MetricsReport(grades, metrics, ci95, model, data, more);
  }

  /**
   * The metrics of this report's output alone (no model, data or further sections): what {@code outputs} holds per
   * output name.
   */
  public Map<String, Object> outputMetrics() {
    return new MetricsReport(grades, metrics, ci95, Map.of(), Map.of(), Map.of()).toJson();
  }

  /** The content of metrics.json, keys in the order written; undefined figures (NaN) become JSON null. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = figures(metrics);
    json.put("confusion_matrix", metrics.confusion().toJson());
    json.put("ci95", intervals(ci95));
    json.put("grades", grades);
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("resamples", ci95.resamples());
    bootstrap.put("seed", ci95.seed());
    json.put("bootstrap", bootstrap);
    if (!model.isEmpty()) {
      json.put("model", model);
    }
    if (!data.isEmpty()) {
      json.put("data", data);
    }
    json.putAll(sections);
    return json;
  }

  /** n, every scalar metric and per-grade recall, as metrics.json and each subgroup show them. */
  static Map<String, Object> figures(GradingMetrics metrics) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n", metrics.n());
    for (ScalarMetric metric : ScalarMetric.values()) {
      json.put(metric.key(), orNull(metric.of(metrics)));
    }
    json.put("per_grade_recall", Arrays.stream(metrics.perGradeRecall()).mapToObj(MetricsReport::orNull).toList());
    return json;
  }

  /** The ci95 object: metric key to [lower, upper]. */
  static Map<String, Object> intervals(ConfidenceIntervals ci95) {
    Map<String, Object> intervals = new LinkedHashMap<>();
    for (ScalarMetric metric : ScalarMetric.values()) {
      intervals.put(metric.key(), ci95.get(metric).toJson());
    }
    return intervals;
  }

  /** Writes metrics.json and confusion_matrix.png into {@code dir}, creating it if needed. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(JSON_FILE).toFile(), toJson());
    ConfusionMatrixChart.write(metrics, grades, dir.resolve(CHART_FILE));
  }

  /** A figure for JSON: undefined (NaN) becomes null. */
  static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
