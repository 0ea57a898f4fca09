package org.rheumalens.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.dataset.ManifestRow;
import org.rheumalens.eval.Bootstrap;
import org.rheumalens.eval.MetricsReport;
import org.rheumalens.eval.RegressionMetrics;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;

/** The metrics of a task's secondary outputs, for metrics.json's {@code outputs}, from the manifest's labels. */
final class SecondaryOutputs {

  private SecondaryOutputs() {}

  static Map<String, Object> metrics(GradingTask task, List<ManifestRow> rows, List<GradeResult> results,
      Bootstrap bootstrap) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (TaskDefinition.Output output : task.secondary()) {
      List<Double> truth = new ArrayList<>();
      List<Double> predicted = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        GradeResult r = results.get(i);
        if (!r.ok() || r.outputs() == null || !(r.outputs().get(output.name()) instanceof Map<?, ?> reading)) {
          continue;
        }
        String label = rows.get(i).labels().get(output.name());
        if (output.kind() == Kind.REGRESSION) {
          truth.add(Double.parseDouble(label));
          predicted.add(((Number) reading.get("value")).doubleValue());
        } else {
          truth.add((double) output.classIndex(label));
          predicted.add(((Number) reading.get("class")).doubleValue());
        }
      }
      if (truth.size() < 2) {
        continue;
      }
      double[] t = truth.stream().mapToDouble(Double::doubleValue).toArray();
      double[] p = predicted.stream().mapToDouble(Double::doubleValue).toArray();
      out.put(output.name(), output.kind() == Kind.REGRESSION
          ? RegressionMetrics.compute(t, p).toJson()
          : MetricsReport.compute(output.classes(), toInts(t), toInts(p), bootstrap).outputMetrics());
    }
    return out;
  }

  private static int[] toInts(double[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }
}
