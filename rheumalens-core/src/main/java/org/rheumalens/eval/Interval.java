package org.rheumalens.eval;

/** A confidence interval for one metric; both ends NaN when no resample gave the metric a value. */
public record Interval(double lower, double upper) {

  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }

  public double width() {
    return upper - lower;
  }
}
