package org.rheumalens.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.dataset.ManifestRow;
import org.rheumalens.eval.RegressionMetrics;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;

/**
 * Scores summed per group, as the Sharp/van der Heijde score sums joint scores per patient: for each value of a
 * column (usually {@code patient}) the reference and predicted scores of its rows are added up, per output and over all
 * score outputs together, and compared (MAE, RMSE, ICC(2,1), Bland–Altman). A class label that is a number counts as
 * that number, else as its index; categorical outputs are not summed.
 */
final class PatientTotals {

  private PatientTotals() {}

  static Map<String, Object> of(GradingTask task, String column, List<ManifestRow> rows, List<GradeResult> results) {
    List<TaskDefinition.Output> scored = task.definition().outputs().stream()
        .filter(o -> o.kind() != Kind.CATEGORICAL && o.kind() != Kind.SEGMENTATION).toList();
    Map<String, double[][]> byGroup = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      GradeResult r = results.get(i);
      if (!r.ok() || r.grade() == null) {
        continue;
      }
      ManifestRow row = rows.get(i);
      String group = Manifest.PATIENT.equals(column) ? row.patientKey() : row.attributes().get(column);
      double[][] sums = byGroup.computeIfAbsent(group, g -> new double[scored.size()][2]);
      for (int k = 0; k < scored.size(); k++) {
        TaskDefinition.Output o = scored.get(k);
        String label = row.labels().get(o.name());
        sums[k][0] += o.kind() == Kind.REGRESSION ? Double.parseDouble(label) : score(o, o.classIndex(label));
        sums[k][1] += predicted(o, k == 0 && o == task.primary() ? r.grade() : null, r.outputs());
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("column", column);
    json.put("groups", byGroup.size());
    if (byGroup.size() < 2) {
      json.put("note", "fewer than two groups: nothing to compare");
      return json;
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    double[] allTruth = new double[byGroup.size()];
    double[] allPredicted = new double[byGroup.size()];
    for (int k = 0; k < scored.size(); k++) {
      double[] truth = new double[byGroup.size()];
      double[] predicted = new double[byGroup.size()];
      int g = 0;
      for (double[][] sums : byGroup.values()) {
        truth[g] = sums[k][0];
        predicted[g] = sums[k][1];
        allTruth[g] += truth[g];
        allPredicted[g] += predicted[g];
        g++;
      }
      outputs.put(scored.get(k).name(), RegressionMetrics.compute(truth, predicted).toJson());
    }
    json.put("outputs", outputs);
    json.put("total", RegressionMetrics.compute(allTruth, allPredicted).toJson());
    return json;
  }

  /** A class's score: its label as a number where it is one (a Sharp "3"), else its index. */
  static double score(TaskDefinition.Output output, int classIndex) {
    try {
      return Double.parseDouble(output.classes().get(classIndex));
    } catch (NumberFormatException e) {
      return classIndex;
    }
  }

  private static double predicted(TaskDefinition.Output output, Integer primaryGrade, Map<String, Object> readings) {
    if (primaryGrade != null) {
      return score(output, primaryGrade);
    }
    Map<?, ?> reading = (Map<?, ?>) readings.get(output.name());
    return output.kind() == Kind.REGRESSION
        ? ((Number) reading.get("value")).doubleValue()
        : score(output, ((Number) reading.get("class")).intValue());
  }
}
