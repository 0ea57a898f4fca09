package org.rheumalens.cli;

import java.util.Map;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;

/** Adds one graded region's scores to a file's totals: each output whose answer is a number (not categorical). */
final class RegionTotals {

  private RegionTotals() {}

  static void add(Map<String, Double> totals, GradingTask task, GradeResult r) {
    TaskDefinition.Output primary = task.primary();
    if (primary.kind() != Kind.CATEGORICAL) {
      totals.merge(primary.name(), PatientTotals.score(primary, r.grade()), Double::sum);
    }
    if (r.outputs() == null) {
      return;
    }
    for (TaskDefinition.Output output : task.secondary()) {
      if (output.kind() != Kind.CATEGORICAL && r.outputs().get(output.name()) instanceof Map<?, ?> reading) {
        double value = output.kind() == Kind.REGRESSION
            ? ((Number) reading.get("value")).doubleValue()
            : PatientTotals.score(output, ((Number) reading.get("class")).intValue());
        totals.merge(output.name(), value, Double::sum);
      }
    }
  }
}
