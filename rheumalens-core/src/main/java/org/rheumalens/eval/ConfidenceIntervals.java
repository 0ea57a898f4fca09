package org.rheumalens.eval;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * Bootstrap confidence intervals for every {@link ScalarMetric}, with what is needed to repeat them.
 *
 * @param level coverage, e.g. 0.95
 * @param resamples number of bootstrap resamples
 * @param seed random seed of the resampling
 * @param intervals one interval per metric, in {@link ScalarMetric} order
 */
public record ConfidenceIntervals(double level, int resamples, long seed, Map<ScalarMetric, Interval> intervals) {

  public ConfidenceIntervals {
    if (!intervals.keySet().containsAll(EnumSet.allOf(ScalarMetric.class))) {
      throw new IllegalArgumentException("an interval is needed for every metric, got " + intervals.keySet());
    }
    intervals = Collections.unmodifiableMap(new EnumMap<>(intervals));
  }

  public Interval get(ScalarMetric metric) {
    return intervals.get(metric);
  }

  /** The interval for a metric by its JSON key, e.g. {@code "mae"}. */
  public Interval get(String key) {
    for (ScalarMetric metric : ScalarMetric.values()) {
      if (metric.key().equals(key)) {
        return intervals.get(metric);
      }
    }
    throw new IllegalArgumentException("no metric named " + key);
  }
}
