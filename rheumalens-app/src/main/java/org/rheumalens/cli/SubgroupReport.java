package org.rheumalens.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.eval.Bootstrap;
import org.rheumalens.eval.MetricsReport;

/** The {@code subgroups} section of metrics.json: per column, per value, the metrics of those cases. */
final class SubgroupReport {

  private SubgroupReport() {}

  static Map<String, Object> of(List<String> grades, int[] truth, int[] predicted, Map<String, List<String>> groups,
      Bootstrap bootstrap) {
    Map<String, Object> byColumn = new LinkedHashMap<>();
    groups.forEach((column, values) -> {
      Map<String, Object> byValue = new LinkedHashMap<>();
      values.stream().distinct().sorted().forEach(value -> {
        int[] index = java.util.stream.IntStream.range(0, values.size())
            .filter(i -> value.equals(values.get(i))).toArray();
        int[] t = java.util.Arrays.stream(index).map(i -> truth[i]).toArray();
        int[] p = java.util.Arrays.stream(index).map(i -> predicted[i]).toArray();
        byValue.put(value, MetricsReport.compute(grades, t, p, bootstrap).outputMetrics());
      });
      byColumn.put(column, byValue);
    });
    return byColumn;
  }
}
