package org.rheumalens.eval;

import java.util.Arrays;
import java.util.List;

/** A confidence interval for one metric; both ends NaN when no resample gave the metric a value. */
public record Interval(double lower, double upper) {

  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }

  public double width() {
    return upper - lower;
  }

  /** {@code [lower, upper]} for JSON, an undefined end as null. */
  public List<Double> toJson() {
    // Arrays.asList, unlike List.of, keeps an undefined end as null.
    return Arrays.asList(Double.isNaN(lower) ? null : lower, Double.isNaN(upper) ? null : upper);
  }
}
