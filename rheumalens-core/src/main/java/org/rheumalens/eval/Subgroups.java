package org.rheumalens.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Grading metrics per subgroup (centre, sex, scanner, ...) with bootstrap intervals, flagging a subgroup only where
 * it is significantly worse than the rest of the cases: the 95% interval of its accuracy minus the rest's lies
 * entirely below zero. Each subgroup is tested on its own, without correction for how many are tested, so with many
 * subgroups a flag is a reason to look, not a verdict.
 */
public final class Subgroups {

  /** Fewer cases than this, in the subgroup or in the rest, get metrics but no comparison. */
  public static final int MIN_CASES = 10;
  /** The value shown for a case whose grouping value is null or blank. */
  public static final String MISSING = "(missing)";

  /** One value of one grouping column. */
  public record Subgroup(String column, String value, GradingMetrics metrics, ConfidenceIntervals ci95,
      Comparison vsRest, String note) {

    /** Why this subgroup is flagged, or null when it is not (or is too small to compare). */
    public String flag() {
      if (vsRest == null || !vsRest.significantlyWorse()) {
        return null;
      }
      return String.format(Locale.ROOT,
          "significantly worse than the rest: accuracy %.2f vs %.2f, difference CI [%.2f, %.2f]; "
              + "QWK %.2f vs %.2f, difference %.2f, CI [%.2f, %.2f]",
          metrics.accuracy(), vsRest.restAccuracy(), vsRest.accuracyDifferenceCi().lower(),
          vsRest.accuracyDifferenceCi().upper(), metrics.quadraticWeightedKappa(), vsRest.restQwk(),
          vsRest.qwkDifference(), vsRest.qwkDifferenceCi().lower(), vsRest.qwkDifferenceCi().upper());
    }
  }

  /**
   * A subgroup against all other cases: differences are subgroup minus rest, with 95% intervals from resampling all
   * cases together.
   */
  public record Comparison(int restN, double restAccuracy, double accuracyDifference, Interval accuracyDifferenceCi,
      double restQwk, double qwkDifference, Interval qwkDifferenceCi) {

    public boolean significantlyWorse() {
      return accuracyDifferenceCi.upper() < 0;
    }
  }

  private final List<Subgroup> subgroups;

  private Subgroups(List<Subgroup> subgroups) {
    this.subgroups = List.copyOf(subgroups);
  }

  /**
   * Metrics for every value of every grouping column.
   *
   * @param groupings column name to one value per case (e.g. "centre" to ["A", "B", ...]), in the order to report
   */
  public static Subgroups compute(int classes, int[] truth, int[] predicted, Map<String, List<String>> groupings,
      Bootstrap bootstrap) {
    ConfusionMatrix.of(classes, truth, predicted);
    List<Subgroup> found = new ArrayList<>();
    for (Map.Entry<String, List<String>> column : groupings.entrySet()) {
      List<String> values = column.getValue();
      if (values.size() != truth.length) {
        throw new IllegalArgumentException("grouping column '" + column.getKey() + "' has " + values.size()
            + " values for " + truth.length + " cases");
      }
      Map<String, List<Integer>> members = new TreeMap<>();
      for (int i = 0; i < values.size(); i++) {
        String v = values.get(i);
        members.computeIfAbsent(v == null || v.isBlank() ? MISSING : v, x -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, List<Integer>> group : members.entrySet()) {
        boolean[] inGroup = new boolean[truth.length];
        group.getValue().forEach(i -> inGroup[i] = true);
        found.add(subgroup(classes, truth, predicted, column.getKey(), group.getKey(), inGroup, bootstrap));
      }
    }
    return new Subgroups(found);
  }

  private static Subgroup subgroup(int classes, int[] truth, int[] predicted, String column, String value,
      boolean[] inGroup, Bootstrap bootstrap) {
    int n = 0;
    for (boolean in : inGroup) {
      n += in ? 1 : 0;
    }
    int[] groupTruth = new int[n];
    int[] groupPredicted = new int[n];
    for (int i = 0, j = 0; i < inGroup.length; i++) {
      if (inGroup[i]) {
        groupTruth[j] = truth[i];
        groupPredicted[j++] = predicted[i];
      }
    }
    GradingMetrics metrics = GradingMetrics.compute(classes, groupTruth, groupPredicted);
    ConfidenceIntervals ci95 = bootstrap.intervals(classes, groupTruth, groupPredicted);
    int rest = inGroup.length - n;
    if (n < MIN_CASES || rest < MIN_CASES) {
      String note = n < MIN_CASES
          ? "only " + n + " cases: too few to compare with the rest"
          : "only " + rest + " other cases: too few to compare with";
      return new Subgroup(column, value, metrics, ci95, null, note);
    }
    return new Subgroup(column, value, metrics, ci95, compare(classes, truth, predicted, inGroup, metrics, bootstrap),
        null);
  }

  private static Comparison compare(int classes, int[] truth, int[] predicted, boolean[] inGroup,
      GradingMetrics group, Bootstrap bootstrap) {
    ConfusionMatrix restAll = new ConfusionMatrix(classes);
    for (int i = 0; i < truth.length; i++) {
      if (!inGroup[i]) {
        restAll.add(truth[i], predicted[i]);
      }
    }
    GradingMetrics rest = GradingMetrics.of(restAll);
    ConfusionMatrix in = new ConfusionMatrix(classes);
    ConfusionMatrix out = new ConfusionMatrix(classes);
    List<Interval> differences = bootstrap.intervals(truth.length, picks -> {
      in.clear();
      out.clear();
      for (int pick : picks) {
        (inGroup[pick] ? in : out).add(truth[pick], predicted[pick]);
      }
      GradingMetrics a = GradingMetrics.of(in);
      GradingMetrics b = GradingMetrics.of(out);
      return new double[] {a.accuracy() - b.accuracy(), a.quadraticWeightedKappa() - b.quadraticWeightedKappa()};
    });
    return new Comparison(rest.n(), rest.accuracy(), group.accuracy() - rest.accuracy(), differences.get(0),
        rest.quadraticWeightedKappa(), group.quadraticWeightedKappa() - rest.quadraticWeightedKappa(),
        differences.get(1));
  }

  /** Every subgroup, columns in the order given and values in alphabetical order within a column. */
  public List<Subgroup> all() {
    return subgroups;
  }

  /** The subgroups that are flagged as significantly worse than the rest. */
  public List<Subgroup> flagged() {
    return subgroups.stream().filter(s -> s.flag() != null).toList();
  }

  public Subgroup get(String column, String value) {
    return subgroups.stream().filter(s -> s.column().equals(column) && s.value().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no subgroup " + column + " = " + value));
  }

  /**
   * For metrics.json under "subgroups": column to value to {n, accuracy, ..., per_grade_recall, ci95, vs_rest, flag
   * or note}; undefined figures are null.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    for (Subgroup s : subgroups) {
      @SuppressWarnings("unchecked")
      Map<String, Object> column = (Map<String, Object>) json.computeIfAbsent(s.column(), c -> new LinkedHashMap<>());
      Map<String, Object> entry = MetricsReport.figures(s.metrics());
      entry.put("ci95", MetricsReport.intervals(s.ci95()));
      Comparison c = s.vsRest();
      if (c != null) {
        Map<String, Object> vsRest = new LinkedHashMap<>();
        vsRest.put("n_rest", c.restN());
        vsRest.put("accuracy_rest", MetricsReport.orNull(c.restAccuracy()));
        vsRest.put("accuracy_difference", MetricsReport.orNull(c.accuracyDifference()));
        vsRest.put("accuracy_difference_ci95", c.accuracyDifferenceCi().toJson());
        vsRest.put("quadratic_weighted_kappa_rest", MetricsReport.orNull(c.restQwk()));
        vsRest.put("quadratic_weighted_kappa_difference", MetricsReport.orNull(c.qwkDifference()));
        vsRest.put("quadratic_weighted_kappa_difference_ci95", c.qwkDifferenceCi().toJson());
        entry.put("vs_rest", vsRest);
      }
      if (s.flag() != null) {
        entry.put("flag", s.flag());
      }
      if (s.note() != null) {
        entry.put("note", s.note());
      }
      column.put(s.value(), entry);
    }
    return Collections.unmodifiableMap(json);
  }
}
