package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.io.CsvTable;

class AgreementReportTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final Bootstrap FAST = new Bootstrap(300, 7);

  /** Two readers' CSVs of {@code n} cases; the second reader misses by one grade about a third of the time. */
  private static PairedRatings klReaders(int n, long seed) {
    Random random = new Random(seed);
    StringBuilder a = new StringBuilder("image,kl\n");
    StringBuilder b = new StringBuilder("image,kl,comment\n");
    for (int i = 0; i < n; i++) {
      int grade = random.nextInt(5);
      int other = Math.max(0, Math.min(4, grade + (random.nextDouble() < 0.35 ? random.nextBoolean() ? 1 : -1 : 0)));
      a.append("knee_").append(i).append(".png,").append(grade).append('\n');
      b.append("knee_").append(i).append(".png,").append(other).append(",\"seen, twice\"\n");
    }
    return PairedRatings.join(CsvTable.parse("A.csv", a.toString()), CsvTable.parse("B.csv", b.toString()),
        "image", "kl");
  }

  private static PairedRatings pairs(List<String> first, List<String> second) {
    List<PairedRatings.Pair> pairs = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      pairs.add(new PairedRatings.Pair("case" + i, first.get(i), i + 2, second.get(i), i + 2));
    }
    return new PairedRatings("kl", "A.csv", "B.csv", pairs, new PairedRatings.Unmatched(0, 0, 0, 0));
  }

  private static List<String> keys(JsonNode json) {
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void gradesAreOrdinalAndGetThreeKappasWithIntervalsAndACrossTab(@TempDir Path dir) throws Exception {
    PairedRatings ratings = klReaders(200, 1);
    AgreementReport report = AgreementReport.compute(ratings, null, null, FAST);

    assertThat(report.kind()).isEqualTo(AgreementKind.ORDINAL);
    ConfusionMatrix m = ConfusionMatrix.of(5, ratings.firstCategories(List.of("0", "1", "2", "3", "4")),
        ratings.secondCategories(List.of("0", "1", "2", "3", "4")));
    assertThat(report.metrics()).containsEntry("cohen_kappa", Kappa.of(m, Kappa.Weights.UNWEIGHTED))
        .containsEntry("linear_weighted_kappa", Kappa.of(m, Kappa.Weights.LINEAR))
        .containsEntry("quadratic_weighted_kappa", Kappa.of(m, Kappa.Weights.QUADRATIC));
    report.metrics().forEach((key, value) -> {
      Interval ci = report.ci95().get(key);
      assertThat(ci.contains(value)).as(key + " " + ci).isTrue();
      assertThat(ci.width()).as(key).isBetween(0.01, 0.3);
    });

    assertThat(report.write(dir)).containsExactly(dir.resolve("agreement.json"), dir.resolve("crosstab.png"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("agreement.json").toFile());
    assertThat(keys(json)).containsExactly("n", "unmatched", "column", "kind", "first", "second", "cohen_kappa",
        "linear_weighted_kappa", "quadratic_weighted_kappa", "ci95", "classes", "crosstab", "bootstrap");
    assertThat(json.get("n").intValue()).isEqualTo(200);
    assertThat(json.get("kind").textValue()).isEqualTo("ordinal");
    assertThat(keys(json.get("ci95"))).containsExactly("cohen_kappa", "linear_weighted_kappa",
        "quadratic_weighted_kappa");
    assertThat(json.get("crosstab").get(2).get(3).longValue()).isEqualTo(m.count(2, 3));
    BufferedImage png = ImageIO.read(dir.resolve("crosstab.png").toFile());
    assertThat(png.getWidth()).isGreaterThan(400);
  }

  @Test
  void measurementsGetIccAndBlandAltmanButNoKappa(@TempDir Path dir) throws Exception {
    List<String> a = List.of("4.1", "3.2", "5.0", "2.2", "3.9", "4.4", "1.8", "2.9");
    List<String> b = List.of("4.3", "3.0", "5.4", "2.5", "4.0", "4.9", "2.0", "3.1");
    AgreementReport report = AgreementReport.compute(pairs(a, b), null, null, FAST);

    assertThat(report.kind()).isEqualTo(AgreementKind.MEASUREMENT);
    assertThat(report.metrics()).containsOnlyKeys("icc_2_1");
    double[][] scores = new double[a.size()][];
    for (int i = 0; i < a.size(); i++) {
      scores[i] = new double[] {Double.parseDouble(a.get(i)), Double.parseDouble(b.get(i))};
    }
    assertThat(report.metrics().get("icc_2_1")).isEqualTo(IntraclassCorrelation.of(scores).icc21());
    // Differences -0.2, 0.2, -0.4, -0.3, -0.1, -0.5, -0.2, -0.2: the second reader measures 1.7 / 8 more on average.
    assertThat(report.blandAltman().bias()).isCloseTo(-1.7 / 8, within(1e-9));

    report.write(dir);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("agreement.json").toFile());
    assertThat(keys(json)).containsExactly("n", "unmatched", "column", "kind", "first", "second", "icc_2_1",
        "bland_altman", "ci95", "bootstrap");
    assertThat(keys(json.get("bland_altman"))).containsExactly("bias", "sd", "lower", "upper");
    assertThat(ImageIO.read(dir.resolve("bland_altman.png").toFile())).isNotNull();
    assertThat(dir.resolve("crosstab.png")).doesNotExist();
  }

  @Example
  void scoresGetIccOnly() {
    AgreementReport report = AgreementReport.compute(
        pairs(List.of("10", "20", "30", "45"), List.of("12", "18", "33", "41")), AgreementKind.SCORE, null, FAST);
    assertThat(report.metrics()).containsOnlyKeys("icc_2_1");
    assertThat(report.blandAltman()).isNull();
    assertThat(report.toJson()).doesNotContainKey("bland_altman");
  }

  @Example
  void perfectAgreementIsOneEverywhere() {
    List<String> grades = List.of("0", "1", "2", "3", "4", "2", "1", "0", "3", "4", "2", "2");
    AgreementReport ordinal = AgreementReport.compute(pairs(grades, grades), null, null, FAST);
    assertThat(ordinal.metrics().values()).containsOnly(1.0);
    assertThat(ordinal.ci95().values()).containsOnly(new Interval(1, 1));
    AgreementReport measured = AgreementReport.compute(pairs(grades, grades), AgreementKind.MEASUREMENT, null, FAST);
    assertThat(measured.metrics().get("icc_2_1")).isCloseTo(1.0, within(1e-12));
    assertThat(measured.blandAltman().sd()).isZero();
  }

  @Example
  void infersTheKindFromTheValues() {
    assertThat(AgreementKind.infer(List.of("0", "1", "4", "2.0"))).isEqualTo(AgreementKind.ORDINAL);
    assertThat(AgreementKind.infer(List.of("0", "1.5", "4"))).isEqualTo(AgreementKind.MEASUREMENT);
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= AgreementKind.MAX_ORDINAL_VALUES; i++) {
      many.add(Integer.toString(i));
    }
    assertThat(AgreementKind.infer(many)).isEqualTo(AgreementKind.MEASUREMENT);
    assertThat(AgreementKind.infer(List.of("erosion", "none", "1"))).isEqualTo(AgreementKind.CATEGORICAL);
  }

  @Example
  void wholeNumberClassesFillTheGapsSoThatWeightsCountTheSteps() {
    AgreementReport report = AgreementReport.compute(pairs(List.of("0", "4", "4"), List.of("0", "4", "0")),
        null, null, FAST);
    assertThat(report.crossTab().categories()).containsExactly("0", "1", "2", "3", "4");
    assertThat(AgreementReport.compute(pairs(List.of("b", "a"), List.of("a", "c")), null, null, FAST)
        .crossTab().categories()).containsExactly("a", "b", "c");
  }

  @Example
  void errorsNameTheFileAndLine() {
    PairedRatings ratings = pairs(List.of("1.5", "2", "3"), List.of("1", "n/a", "3"));
    assertThatThrownBy(() -> AgreementReport.compute(ratings, AgreementKind.MEASUREMENT, null, FAST))
        .hasMessageStartingWith("B.csv line 3 (case1): 'n/a' in column 'kl' is not a number");
    assertThatThrownBy(() -> AgreementReport.compute(ratings, AgreementKind.ORDINAL, List.of("1", "2", "3"), FAST))
        .hasMessageStartingWith("A.csv line 2 (case0): '1.5' in column 'kl' is not one of the classes 1, 2, 3");
    assertThatThrownBy(() -> AgreementReport.compute(ratings, AgreementKind.ORDINAL, List.of("1", "2", "2"), FAST))
        .hasMessage("the classes list '2' twice");
    assertThatThrownBy(() -> AgreementReport.compute(pairs(List.of("mild"), List.of("severe")),
        AgreementKind.ORDINAL, null, FAST)).hasMessageContaining("give the classes in order");
    PairedRatings none = new PairedRatings("kl", "A.csv", "B.csv", List.of(),
        new PairedRatings.Unmatched(3, 2, 0, 1));
    assertThatThrownBy(() -> AgreementReport.compute(none, null, null, FAST))
        .hasMessage("no case is rated in both A.csv and B.csv (3 rows of the first and 3 of the second unmatched);"
            + " check the key column");
  }

  @Example
  void joinCountsWhatItCannotPairAndRefusesADuplicateKey() {
    CsvTable a = CsvTable.parse("A.csv", "image,kl\nk1,1\nk2,2\nk3,\nk4,0\n");
    CsvTable b = CsvTable.parse("B.csv", "kl,image\n1,k1\n3,k2\n2,k5\n2,k6\n,k4\n");
    PairedRatings p = PairedRatings.join(a, b, "image", "kl");
    assertThat(p.pairs()).extracting(PairedRatings.Pair::key).containsExactly("k1", "k2");
    assertThat(p.pairs().get(1)).isEqualTo(new PairedRatings.Pair("k2", "2", 3, "3", 3));
    assertThat(p.unmatched()).isEqualTo(new PairedRatings.Unmatched(1, 2, 1, 1));

    CsvTable twice = CsvTable.parse("B.csv", "image,kl\nk1,1\nk2,2\nk1,3\n");
    assertThatThrownBy(() -> PairedRatings.join(a, twice, "image", "kl"))
        .hasMessage("B.csv has image 'k1' on lines 2 and 4; each image may appear once");
    assertThatThrownBy(() -> PairedRatings.join(a, b, "image", "jsn"))
        .hasMessage("A.csv has no column 'jsn'; its columns are: image, kl");
  }

  @Provide
  Arbitrary<List<List<Integer>>> gradePairs() {
    Arbitrary<List<Integer>> grades = Arbitraries.integers().between(0, 4).list().ofMinSize(2).ofMaxSize(60);
    return grades.flatMap(first -> Arbitraries.integers().between(0, 4).list().ofSize(first.size())
        .map(second -> List.of(first, second)));
  }

  /** Any names that keep the order (KL0 < ... or 10 < 20 < 35 < ...) give the same kappas as the grades 0..4. */
  @Property(tries = 100)
  void relabellingThatKeepsTheOrderChangesNoKappa(
      @ForAll("gradePairs") List<List<Integer>> grades, @ForAll boolean numeric) {
    List<String> names = numeric ? List.of("10", "20", "35", "36", "90") : List.of("none", "doubtful", "minimal",
        "moderate", "severe");
    List<String> plain = List.of("0", "1", "2", "3", "4");
    Bootstrap once = new Bootstrap(1, 1);
    AgreementReport original = AgreementReport.compute(
        pairs(grades.get(0).stream().map(plain::get).toList(), grades.get(1).stream().map(plain::get).toList()),
        AgreementKind.ORDINAL, plain, once);
    AgreementReport renamed = AgreementReport.compute(
        pairs(grades.get(0).stream().map(names::get).toList(), grades.get(1).stream().map(names::get).toList()),
        AgreementKind.ORDINAL, names, once);
    assertThat(renamed.metrics()).isEqualTo(original.metrics());
  }

  @Property(tries = 100)
  void swappingTheReadersChangesNoFigure(@ForAll("gradePairs") List<List<Integer>> grades) {
    List<String> first = grades.get(0).stream().map(String::valueOf).toList();
    List<String> second = grades.get(1).stream().map(String::valueOf).toList();
    Bootstrap once = new Bootstrap(1, 1);
    for (AgreementKind kind : List.of(AgreementKind.ORDINAL, AgreementKind.MEASUREMENT)) {
      AgreementReport forward = AgreementReport.compute(pairs(first, second), kind, null, once);
      AgreementReport backward = AgreementReport.compute(pairs(second, first), kind, null, once);
      forward.metrics().forEach((key, value) -> {
        if (!value.isNaN()) {
          assertThat(backward.metrics().get(key)).as(key).isCloseTo(value, within(1e-9));
        }
      });
    }
  }
}
