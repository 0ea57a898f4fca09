package org.rheumalens.oversight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Selective prediction: keep only the cases an uncertainty score rates most certain and watch accuracy as coverage
 * shrinks (Geifman and El-Yaniv 2017). A useful score gives a curve that rises as coverage falls.
 *
 * @param score name of the certainty score the cases were ranked by
 * @param points accuracy at each coverage, from full coverage down
 * @param aurc area under the risk (1 - accuracy) vs coverage curve; lower is better
 */
public record RiskCoverage(String score, List<Point> points, double aurc) {

  public record Point(double coverage, double accuracy, double threshold) {}

  /** {@code certainty[i]}: higher means more certain; {@code correct[i]}: whether case i was graded right. */
  public static RiskCoverage of(String score, double[] certainty, boolean[] correct) {
    int n = certainty.length;
    Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> -certainty[i])).toArray(Integer[]::new);
    double[] accuracyAtK = new double[n + 1];
    int hits = 0;
    double riskArea = 0;
    for (int k = 1; k <= n; k++) {
      hits += correct[order[k - 1]] ? 1 : 0;
      accuracyAtK[k] = (double) hits / k;
      riskArea += 1 - accuracyAtK[k];
    }
    List<Point> points = new ArrayList<>();
    for (int percent = 100; percent >= 5; percent -= 5) {
      int k = Math.max(1, (int) Math.round(n * percent / 100.0));
      points.add(new Point(k / (double) n, accuracyAtK[k], certainty[order[k - 1]]));
    }
    return new RiskCoverage(score, List.copyOf(points), riskArea / n);
  }

  /** Accuracy when keeping the given share of cases (nearest tabulated coverage). */
  public double accuracyAt(double coverage) {
    return points.stream().min(Comparator.comparingDouble(p -> Math.abs(p.coverage() - coverage))).orElseThrow().accuracy();
  }
}
