package org.rheumalens.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well predicted values match reference values (a regression output, or any score): mean absolute error, root
 * mean squared error, ICC(2,1) between model and reference as two raters (absolute agreement), and the Bland–Altman
 * bias and 95% limits of predicted minus reference.
 */
public record RegressionMetrics(int n, double mae, double rmse, double icc21, BlandAltman blandAltman) {

  public static RegressionMetrics compute(double[] truth, double[] predicted) {
    if (truth.length != predicted.length || truth.length < 2) {
      throw new IllegalArgumentException("need at least two paired values, got " + truth.length + " and " + predicted.length);
    }
    double absolute = 0;
    double squared = 0;
    double[][] raters = new double[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      double error = predicted[i] - truth[i];
      absolute += Math.abs(error);
      squared += error * error;
      raters[i] = new double[] {truth[i], predicted[i]};
    }
    return new RegressionMetrics(truth.length, absolute / truth.length, Math.sqrt(squared / truth.length),
        IntraclassCorrelation.of(raters).icc21(), BlandAltman.of(predicted, truth));
  }

  /** The metrics as metrics.json holds them for a regression output. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n", n);
    json.put("mae", finite(mae));
    json.put("rmse", finite(rmse));
    json.put("icc_2_1", finite(icc21));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("bias", finite(blandAltman.bias()));
    ba.put("lower", finite(blandAltman.lower()));
    ba.put("upper", finite(blandAltman.upper()));
    json.put("bland_altman", ba);
    return json;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
