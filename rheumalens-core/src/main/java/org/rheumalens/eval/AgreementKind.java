package org.rheumalens.eval;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** What two readers' values are, which decides the agreement statistics that apply. */
public enum AgreementKind {
  /** Ordered grades (KL 0-4): Cohen's kappa, and kappa with linear and quadratic weights. */
  ORDINAL,
  /** Unordered labels: Cohen's kappa. */
  CATEGORICAL,
  /** Numeric scores: ICC(2,1). */
  SCORE,
  /** Numeric measurements (e.g. joint space in mm): ICC(2,1) and Bland-Altman limits of agreement. */
  MEASUREMENT;

  /** At most this many distinct whole numbers still read as grades rather than as measurements. */
  static final int MAX_ORDINAL_VALUES = 10;

  /** The name used in agreement.json and on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean numeric() {
    return this == SCORE || this == MEASUREMENT;
  }

  /**
   * The kind that fits every value: whole numbers with at most {@value #MAX_ORDINAL_VALUES} distinct values are
   * ordinal, other numbers measurements, anything else categorical.
   */
  public static AgreementKind infer(Collection<String> values) {
    boolean allNumbers = true;
    boolean allWhole = true;
    Set<BigDecimal> distinct = new HashSet<>();
    for (String v : values) {
      BigDecimal n = parseNumber(v);
      if (n == null) {
        allNumbers = false;
        break;
      }
      n = n.stripTrailingZeros();
      allWhole &= n.scale() <= 0;
      distinct.add(n);
    }
    if (!allNumbers) {
      return CATEGORICAL;
    }
    return allWhole && distinct.size() <= MAX_ORDINAL_VALUES ? ORDINAL : MEASUREMENT;
  }

  /** The value as a number, or null if it is not one ("1.5", "-2", "3e2"; not "NaN", "1,5" or ""). */
  static BigDecimal parseNumber(String value) {
    try {
      return new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
