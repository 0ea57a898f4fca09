package org.rheumalens.eval;

import java.util.function.ToDoubleFunction;

/** The single-number figures of {@link GradingMetrics}, under the names metrics.json uses for them. */
public enum ScalarMetric {
  ACCURACY("accuracy", GradingMetrics::accuracy),
  BALANCED_ACCURACY("balanced_accuracy", GradingMetrics::balancedAccuracy),
  QUADRATIC_WEIGHTED_KAPPA("quadratic_weighted_kappa", GradingMetrics::quadraticWeightedKappa),
  MAE("mae", GradingMetrics::meanAbsoluteError);

  private final String key;
  private final ToDoubleFunction<GradingMetrics> value;

  ScalarMetric(String key, ToDoubleFunction<GradingMetrics> value) {
    this.key = key;
    this.value = value;
  }

  /** The JSON key, e.g. {@code quadratic_weighted_kappa}. */
  public String key() {
    return key;
  }

  public double of(GradingMetrics metrics) {
    return value.applyAsDouble(metrics);
  }
}
