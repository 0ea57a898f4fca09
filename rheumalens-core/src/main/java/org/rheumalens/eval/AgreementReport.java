package org.rheumalens.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Agreement between two readers on one column, as figures and as files: {@code agreement.json}, and
 * {@code crosstab.png} (labels) or {@code bland_altman.png} (measurements).
 *
 * @param ratings the paired values the figures come from
 * @param kind what the values are, which decides the statistics
 * @param metrics point estimates by JSON key ({@code cohen_kappa}, ..., {@code icc_2_1}), only those of the kind
 * @param ci95 percentile-bootstrap intervals, same keys
 * @param bootstrap the resampling behind {@code ci95}
 * @param crossTab the readers' labels cross-tabulated, for label kinds; null for numbers
 * @param blandAltman limits of agreement for measurements; null otherwise
 */
public record AgreementReport(
    PairedRatings ratings,
    AgreementKind kind,
    Map<String, Double> metrics,
    Map<String, Interval> ci95,
    Bootstrap bootstrap,
    CrossTab crossTab,
    BlandAltman blandAltman) {

  public static final String JSON_FILE = "agreement.json";
  public static final String CROSSTAB_FILE = "crosstab.png";
  public static final String BLAND_ALTMAN_FILE = "bland_altman.png";

  public static final String COHEN_KAPPA = "cohen_kappa";
  public static final String LINEAR_WEIGHTED_KAPPA = "linear_weighted_kappa";
  public static final String QUADRATIC_WEIGHTED_KAPPA = "quadratic_weighted_kappa";
  public static final String ICC_2_1 = "icc_2_1";

  /** Whole-number classes are filled in between the smallest and largest value up to this span. */
  private static final int MAX_FILLED_SPAN = 50;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The two readers' labels as categories, rows the first reader. */
  public record CrossTab(List<String> categories, ConfusionMatrix counts) {
    public CrossTab {
      categories = List.copyOf(categories);
    }
  }

  public AgreementReport {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    ci95 = Collections.unmodifiableMap(new LinkedHashMap<>(ci95));
  }

  /**
   * Computes the statistics that fit {@code kind}.
   *
   * @param kind null to infer it from the values ({@link AgreementKind#infer})
   * @param classes the categories in order, for label kinds; null for the values seen (whole numbers: every number
   *     from the smallest to the largest, so that a grade nobody gave still counts in the weights)
   */
  public static AgreementReport compute(PairedRatings ratings, AgreementKind kind, List<String> classes,
      Bootstrap bootstrap) {
    if (ratings.size() == 0) {
      PairedRatings.Unmatched u = ratings.unmatched();
      throw new IllegalArgumentException("no case is rated in both " + ratings.first() + " and " + ratings.second()
          + " (" + (u.onlyInFirst() + u.blankInFirst()) + " rows of the first and "
          + (u.onlyInSecond() + u.blankInSecond()) + " of the second unmatched); check the key column");
    }
    AgreementKind k = kind != null ? kind : AgreementKind.infer(ratings.values());
    return k.numeric() ? numbers(ratings, k, bootstrap) : labels(ratings, k, classes, bootstrap);
  }

  private static AgreementReport labels(PairedRatings ratings, AgreementKind kind, List<String> classes,
      Bootstrap bootstrap) {
    List<String> categories = classes != null ? List.copyOf(classes) : defaultCategories(ratings, kind);
    int[] first = ratings.firstCategories(categories);
    int[] second = ratings.secondCategories(categories);
    List<Kappa.Weights> weights = kind == AgreementKind.ORDINAL
        ? List.of(Kappa.Weights.values()) : List.of(Kappa.Weights.UNWEIGHTED);
    List<String> keys = weights.stream().map(AgreementReport::key).toList();
    ConfusionMatrix all = ConfusionMatrix.of(categories.size(), first, second);
    ConfusionMatrix resampled = new ConfusionMatrix(categories.size());
    List<Interval> intervals = bootstrap.intervals(first.length, picks -> {
      resampled.clear();
      for (int pick : picks) {
        resampled.add(first[pick], second[pick]);
      }
      return weights.stream().mapToDouble(w -> Kappa.of(resampled, w)).toArray();
    });
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, Interval> ci95 = new LinkedHashMap<>();
    for (int i = 0; i < weights.size(); i++) {
      metrics.put(keys.get(i), Kappa.of(all, weights.get(i)));
      ci95.put(keys.get(i), intervals.get(i));
    }
    return new AgreementReport(ratings, kind, metrics, ci95, bootstrap, new CrossTab(categories, all), null);
  }

  private static AgreementReport numbers(PairedRatings ratings, AgreementKind kind, Bootstrap bootstrap) {
    double[] first = ratings.firstNumbers();
    double[] second = ratings.secondNumbers();
    double[][] scores = new double[first.length][];
    for (int i = 0; i < first.length; i++) {
      scores[i] = new double[] {first[i], second[i]};
    }
    List<Interval> intervals = bootstrap.intervals(scores.length, picks -> {
      double[][] drawn = new double[picks.length][];
      for (int i = 0; i < picks.length; i++) {
        drawn[i] = scores[picks[i]];
      }
      return new double[] {IntraclassCorrelation.of(drawn).icc21()};
    });
    Map<String, Double> metrics = Map.of(ICC_2_1, IntraclassCorrelation.of(scores).icc21());
    Map<String, Interval> ci95 = Map.of(ICC_2_1, intervals.get(0));
    BlandAltman ba = kind == AgreementKind.MEASUREMENT ? BlandAltman.of(first, second) : null;
    return new AgreementReport(ratings, kind, metrics, ci95, bootstrap, null, ba);
  }

  private static String key(Kappa.Weights weights) {
    return switch (weights) {
      case UNWEIGHTED -> COHEN_KAPPA;
      case LINEAR -> LINEAR_WEIGHTED_KAPPA;
      case QUADRATIC -> QUADRATIC_WEIGHTED_KAPPA;
    };
  }

  /**
   * The categories seen, in order: whole numbers fill the span between the smallest and largest, other numbers sort
   * by value, and labels (categorical only, since their order cannot be guessed) sort alphabetically.
   */
  static List<String> defaultCategories(PairedRatings ratings, AgreementKind kind) {
    List<String> seen = ratings.values().stream().distinct().toList();
    List<BigDecimal> numbers = seen.stream().map(AgreementKind::parseNumber).toList();
    if (numbers.contains(null)) {
      if (kind == AgreementKind.ORDINAL) {
        throw new IllegalArgumentException("the values of column '" + ratings.column()
            + "' are not numbers, so their order is unknown; give the classes in order (e.g. none,mild,severe)"
            + " or compare them as unordered labels (kind categorical)");
      }
      return seen.stream().sorted().toList();
    }
    // Sorted by value and merged by value, so that "2" and "2.0" are one category.
    List<BigDecimal> values = numbers.stream().map(BigDecimal::stripTrailingZeros).distinct()
        .sorted(Comparator.naturalOrder()).toList();
    boolean whole = values.stream().allMatch(v -> v.scale() <= 0);
    BigDecimal span = values.get(values.size() - 1).subtract(values.get(0));
    if (whole && span.compareTo(BigDecimal.valueOf(MAX_FILLED_SPAN)) <= 0) {
      List<String> filled = new ArrayList<>();
      BigInteger last = values.get(values.size() - 1).toBigIntegerExact();
      for (BigInteger v = values.get(0).toBigIntegerExact(); v.compareTo(last) <= 0; v = v.add(BigInteger.ONE)) {
        filled.add(v.toString());
      }
      return filled;
    }
    return values.stream().map(BigDecimal::toPlainString).toList();
  }

  public int n() {
    return ratings.size();
  }

  /** The content of agreement.json, keys in the order written; undefined figures (NaN) become JSON null. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n", n());
    PairedRatings.Unmatched u = ratings.unmatched();
    Map<String, Object> unmatched = new LinkedHashMap<>();
    unmatched.put("only_in_first", u.onlyInFirst());
    unmatched.put("only_in_second", u.onlyInSecond());
    unmatched.put("blank_in_first", u.blankInFirst());
    unmatched.put("blank_in_second", u.blankInSecond());
    json.put("unmatched", unmatched);
    json.put("column", ratings.column());
    json.put("kind", kind.key());
    json.put("first", ratings.first());
    json.put("second", ratings.second());
    metrics.forEach((key, value) -> json.put(key, MetricsReport.orNull(value)));
    if (blandAltman != null) {
      Map<String, Object> ba = new LinkedHashMap<>();
      ba.put("bias", MetricsReport.orNull(blandAltman.bias()));
      ba.put("sd", MetricsReport.orNull(blandAltman.sd()));
      ba.put("lower", MetricsReport.orNull(blandAltman.lower()));
      ba.put("upper", MetricsReport.orNull(blandAltman.upper()));
      json.put("bland_altman", ba);
    }
    Map<String, Object> intervals = new LinkedHashMap<>();
    ci95.forEach((key, interval) -> intervals.put(key, interval.toJson()));
    json.put("ci95", intervals);
    if (crossTab != null) {
      json.put("classes", crossTab.categories());
      json.put("crosstab", crossTab.counts().toJson());
    }
    Map<String, Object> resampling = new LinkedHashMap<>();
    resampling.put("resamples", bootstrap.resamples());
    resampling.put("seed", bootstrap.seed());
    json.put("bootstrap", resampling);
    return json;
  }

  /** Writes agreement.json and the kind's chart into {@code dir}, creating it if needed; returns the files written. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path json = dir.resolve(JSON_FILE);
    JSON.writeValue(json.toFile(), toJson());
    written.add(json);
    if (crossTab != null) {
      Path png = dir.resolve(CROSSTAB_FILE);
      String title = String.format(Locale.ROOT, "%s (n = %d): %s", ratings.column(), n(), headline());
      ConfusionMatrixChart.writePng(ConfusionMatrixChart.render(crossTab.counts(), crossTab.categories(), title,
          ratings.first(), ratings.second()), png);
      written.add(png);
    }
    if (blandAltman != null) {
      Path png = dir.resolve(BLAND_ALTMAN_FILE);
      BlandAltmanChart.write(ratings.firstNumbers(), ratings.secondNumbers(), blandAltman, ratings.first(),
          ratings.second(), png);
      written.add(png);
    }
    return written;
  }

  /** A few lines for a terminal: what was compared, each figure with its interval, what was left out. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s: %d cases rated in both %s and %s (%s)%n", ratings.column(), n(),
        ratings.first(), ratings.second(), kind.key()
            + (crossTab == null ? "" : "; classes " + String.join(", ", crossTab.categories()))));
    PairedRatings.Unmatched u = ratings.unmatched();
    if (u.total() > 0) {
      s.append(String.format(Locale.ROOT,
          "  left out: %d rated only in %s, %d only in %s, %d blank in %s, %d blank in %s%n",
          u.onlyInFirst(), ratings.first(), u.onlyInSecond(), ratings.second(), u.blankInFirst(), ratings.first(),
          u.blankInSecond(), ratings.second()));
    }
    metrics.forEach((key, value) -> {
      Interval ci = ci95.get(key);
      s.append(String.format(Locale.ROOT, "  %-26s %7.3f  95%% CI [%.3f, %.3f]%n", label(key), value, ci.lower(),
          ci.upper()));
    });
    if (blandAltman != null) {
      s.append(String.format(Locale.ROOT,
          "  Bland-Altman (%s - %s): bias %.4g, SD %.4g, 95%% limits of agreement [%.4g, %.4g]%n",
          ratings.first(), ratings.second(), blandAltman.bias(), blandAltman.sd(), blandAltman.lower(),
          blandAltman.upper()));
    }
    return s.toString();
  }

  /** The figures in a few words, for a chart title. */
  private String headline() {
    return metrics.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.3f", switch (e.getKey()) {
          case COHEN_KAPPA -> "kappa";
          case LINEAR_WEIGHTED_KAPPA -> "linear";
          case QUADRATIC_WEIGHTED_KAPPA -> "quadratic";
          default -> label(e.getKey());
        }, e.getValue()))
        .reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static String label(String key) {
    return switch (key) {
      case COHEN_KAPPA -> "Cohen's kappa";
      case LINEAR_WEIGHTED_KAPPA -> "linear weighted kappa";
      case QUADRATIC_WEIGHTED_KAPPA -> "quadratic weighted kappa";
      case ICC_2_1 -> "ICC(2,1)";
      default -> Objects.requireNonNull(key);
    };
  }
}
