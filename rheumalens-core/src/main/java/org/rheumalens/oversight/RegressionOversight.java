package org.rheumalens.oversight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Oversight of a regression output, fitted on val: a split-conformal interval (the {@code coverage} quantile of val's
 * absolute errors, so that about that share of new values' truths fall within value ± {@code halfWidth}), and triage:
 * a value goes to a reader when the network is unsure of it (its MC-dropout spread above {@code sdLimit}, the spread
 * that only the least sure tenth of val exceeded) or when it lies outside the values val held ({@code low}..{@code
 * high}, widened by the interval), where the error was never measured.
 *
 * @param coverage intended share of truths inside the interval
 * @param halfWidth the interval's half width, in the output's units
 * @param sdLimit MC-dropout standard deviation above which a value is reviewed
 * @param low smallest val truth
 * @param high largest val truth
 * @param valMae mean absolute error on val
 * @param valAcceptedShare share of val values accepted without review
 * @param valAcceptedMae mean absolute error of those
 * @param valReviewedMae mean absolute error of the others (null when none)
 */
public record RegressionOversight(double coverage, double halfWidth, double sdLimit, double low, double high,
    double valMae, double valAcceptedShare, Double valAcceptedMae, Double valReviewedMae) {

  public static final String UNSURE_VALUE = "unsure_value";
  public static final String OUTSIDE_VALIDATED_RANGE = "outside_validated_range";

  /** Share of val values whose spread is allowed without review. */
  static final double ACCEPTED_SPREAD_QUANTILE = 0.9;

  /** Fits on val: {@code predicted} values, their {@code truth} and MC-dropout {@code spread}. */
  public static RegressionOversight fit(double[] predicted, double[] truth, double[] spread, double coverage) {
    int n = predicted.length;
    if (n == 0 || truth.length != n || spread.length != n) {
      throw new IllegalArgumentException("regression oversight needs as many truths and spreads as values (" + n + ")");
    }
    double[] errors = new double[n];
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      errors[i] = Math.abs(predicted[i] - truth[i]);
      low = Math.min(low, truth[i]);
      high = Math.max(high, truth[i]);
    }
    // Split conformal: the ceil((n + 1) * coverage)-th smallest error (the largest when n is small).
    double[] sorted = errors.clone();
    Arrays.sort(sorted);
    double halfWidth = sorted[Math.min(n - 1, (int) Math.ceil((n + 1) * coverage) - 1)];
    double[] spreads = spread.clone();
    Arrays.sort(spreads);
    double sdLimit = spreads[Math.min(n - 1, (int) Math.floor(ACCEPTED_SPREAD_QUANTILE * n))];
    RegressionOversight unfitted = new RegressionOversight(coverage, halfWidth, sdLimit, low, high, 0, 0, null, null);
    double acceptedError = 0;
    double reviewedError = 0;
    int accepted = 0;
    for (int i = 0; i < n; i++) {
      if (unfitted.reasons(predicted[i], spread[i]).isEmpty()) {
        accepted++;
        acceptedError += errors[i];
      } else {
        reviewedError += errors[i];
      }
    }
    return new RegressionOversight(coverage, halfWidth, sdLimit, low, high, Arrays.stream(errors).average().orElse(0),
        accepted / (double) n, accepted == 0 ? null : acceptedError / accepted,
        accepted == n ? null : reviewedError / (n - accepted));
  }

  /** Why a value with this MC-dropout spread needs a reader; empty when it may be accepted. */
  public List<String> reasons(double value, double spread) {
    List<String> out = new ArrayList<>();
    if (spread > sdLimit) {
      out.add(UNSURE_VALUE);
    }
    if (value < low - halfWidth || value > high + halfWidth) {
      out.add(OUTSIDE_VALIDATED_RANGE);
    }
    return out;
  }

  /** The conformal interval around {@code value}. */
  public double[] interval(double value) {
    return new double[] {value - halfWidth, value + halfWidth};
  }
}
