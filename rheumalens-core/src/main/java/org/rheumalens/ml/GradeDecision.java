package org.rheumalens.ml;

/** How a grade is read off the predicted probabilities; chosen per model on val and stored in its card. */
public enum GradeDecision {
  /** The most probable grade. */
  ARGMAX,
  /** The ordinal median: the lowest grade whose cumulative probability reaches one half (minimises expected |error|). */
  MEDIAN,
  /** The expected grade, rounded. */
  EXPECTED;

  public int decide(float[] probabilities) {
    return switch (this) {
      case ARGMAX -> argMax(probabilities);
      case MEDIAN -> median(probabilities);
      case EXPECTED -> expected(probabilities);
    };
  }

  static int argMax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int median(float[] p) {
    double cumulative = 0;
    for (int i = 0; i < p.length; i++) {
      cumulative += p[i];
      if (cumulative >= 0.5) {
        return i;
      }
    }
    return p.length - 1;
  }

  private static int expected(float[] p) {
    double mean = 0;
    for (int i = 0; i < p.length; i++) {
      mean += i * p[i];
    }
    return (int) Math.min(p.length - 1, Math.max(0, Math.round(mean)));
  }
}
