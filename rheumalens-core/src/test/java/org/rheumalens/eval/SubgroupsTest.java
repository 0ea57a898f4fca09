package org.rheumalens.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SubgroupsTest {

  private static final int GRADES = 5;
  private static final Bootstrap FAST = new Bootstrap(400, 42);

  /** Three centres of 150 knees: A and B graded as usual, C mostly wrong (its films are poor, say). */
  private static Map<String, Object> threeCentres() {
    SyntheticGrades good = SyntheticGrades.sample(300, 5);
    SyntheticGrades poor = SyntheticGrades.sample(150, 6);
    Random random = new Random(8);
    int[] poorPredicted = poor.predicted().clone();
    for (int i = 0; i < poorPredicted.length; i++) {
      if (random.nextDouble() < 0.5) {
        poorPredicted[i] = random.nextInt(GRADES);
      }
    }
    int[] truth = IntStream.concat(Arrays.stream(good.truth()), Arrays.stream(poor.truth())).toArray();
    int[] predicted = IntStream.concat(Arrays.stream(good.predicted()), Arrays.stream(poorPredicted)).toArray();
    List<String> centre = new ArrayList<>();
    List<String> sex = new ArrayList<>();
    for (int i = 0; i < truth.length; i++) {
      centre.add(i < 150 ? "A" : i < 300 ? "B" : "C");
      sex.add(random.nextBoolean() ? "F" : "M");
    }
    // A handful of cases from a fourth site: too few to judge, even though every one of them is wrong.
    for (int i = 0; i < 6; i++) {
      centre.set(i, "D");
      predicted[i] = (truth[i] + 2) % GRADES;
    }
    Map<String, List<String>> groupings = new LinkedHashMap<>();
    groupings.put("centre", centre);
    groupings.put("sex", sex);
    return Map.of("truth", truth, "predicted", predicted, "groupings", groupings);
  }

  @SuppressWarnings("unchecked")
  private static Subgroups compute(Map<String, Object> data, Bootstrap bootstrap) {
    return Subgroups.compute(GRADES, (int[]) data.get("truth"), (int[]) data.get("predicted"),
        (Map<String, List<String>>) data.get("groupings"), bootstrap);
  }

  @Example
  void aMuchWorseCentreIsFlaggedAndNoOtherGroupIs() {
    Subgroups subgroups = compute(threeCentres(), FAST);

    Subgroups.Subgroup c = subgroups.get("centre", "C");
    assertThat(c.metrics().n()).isEqualTo(150);
    assertThat(c.vsRest().accuracyDifference()).isLessThan(-0.2);
    assertThat(c.vsRest().accuracyDifferenceCi().upper()).isLessThan(0);
    assertThat(c.vsRest().qwkDifference()).isNegative();
    assertThat(c.flag()).startsWith("significantly worse than the rest: accuracy 0.")
        .contains("difference CI [-0.", "QWK 0.");
    assertThat(subgroups.flagged()).containsExactly(c);
    for (String other : List.of("A", "B")) {
      assertThat(subgroups.get("centre", other).vsRest().accuracyDifference()).as(other).isPositive();
    }
    assertThat(subgroups.get("sex", "F").flag()).isNull();
    assertThat(subgroups.get("sex", "M").flag()).isNull();
  }

  @Example
  void aSmallGroupGetsMetricsAndANoteButNoFlag() {
    Subgroups.Subgroup d = compute(threeCentres(), FAST).get("centre", "D");
    assertThat(d.metrics().n()).isEqualTo(6);
    assertThat(d.metrics().accuracy()).isZero();
    assertThat(d.ci95().get(ScalarMetric.ACCURACY)).isEqualTo(new Interval(0, 0));
    assertThat(d.vsRest()).isNull();
    assertThat(d.flag()).isNull();
    assertThat(d.note()).isEqualTo("only 6 cases: too few to compare with the rest");
  }

  @Example
  @SuppressWarnings("unchecked")
  void jsonNestsColumnValueAndMetricsWithIntervals() {
    Map<String, Object> json = compute(threeCentres(), FAST).toJson();
    assertThat(json).containsOnlyKeys("centre", "sex");
    Map<String, Object> centres = (Map<String, Object>) json.get("centre");
    assertThat(centres.keySet()).containsExactly("A", "B", "C", "D");
    Map<String, Object> c = (Map<String, Object>) centres.get("C");
    assertThat(c.keySet()).containsExactly("n", "accuracy", "balanced_accuracy", "quadratic_weighted_kappa", "mae",
        "per_grade_recall", "ci95", "vs_rest", "flag");
    assertThat((Map<String, Object>) c.get("ci95")).containsOnlyKeys("accuracy", "balanced_accuracy",
        "quadratic_weighted_kappa", "mae");
    assertThat(((Map<String, Object>) c.get("vs_rest")).keySet()).containsExactly("n_rest", "accuracy_rest",
        "accuracy_difference", "accuracy_difference_ci95", "quadratic_weighted_kappa_rest",
        "quadratic_weighted_kappa_difference", "quadratic_weighted_kappa_difference_ci95");
    Map<String, Object> a = (Map<String, Object>) centres.get("A");
    assertThat(a).containsKey("vs_rest").doesNotContainKeys("flag", "note");
    Map<String, Object> d = (Map<String, Object>) centres.get("D");
    assertThat(d).containsKey("note").doesNotContainKeys("flag", "vs_rest");
  }

  /** Whatever the data, a subgroup that is an exact copy of the rest of the cases is never flagged. */
  @Property(tries = 30)
  void aSubgroupIdenticalToTheRestIsNeverFlagged(@ForAll @IntRange(min = 10, max = 120) int n,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    SyntheticGrades rest = SyntheticGrades.sample(n, seed);
    int[] truth = IntStream.concat(Arrays.stream(rest.truth()), Arrays.stream(rest.truth())).toArray();
    int[] predicted = IntStream.concat(Arrays.stream(rest.predicted()), Arrays.stream(rest.predicted())).toArray();
    List<String> copy = IntStream.range(0, 2 * n).mapToObj(i -> i < n ? "original" : "copy").toList();
    Subgroups subgroups = Subgroups.compute(GRADES, truth, predicted, Map.of("batch", copy), new Bootstrap(200, seed));
    for (String value : List.of("original", "copy")) {
      Subgroups.Subgroup s = subgroups.get("batch", value);
      assertThat(s.vsRest().accuracyDifference()).isZero();
      assertThat(s.vsRest().accuracyDifferenceCi().contains(0)).as(s.vsRest().toString()).isTrue();
      assertThat(s.flag()).isNull();
    }
  }

  @Example
  void blankValuesFormTheirOwnGroupAndLengthsMustMatch() {
    SyntheticGrades data = SyntheticGrades.sample(30, 2);
    List<String> scanner = new ArrayList<>(java.util.Collections.nCopies(30, "X"));
    scanner.set(3, "");
    scanner.set(4, null);
    Subgroups subgroups = Subgroups.compute(GRADES, data.truth(), data.predicted(), Map.of("scanner", scanner), FAST);
    assertThat(subgroups.get("scanner", Subgroups.MISSING).metrics().n()).isEqualTo(2);
    assertThat(subgroups.get("scanner", "X").note()).isEqualTo("only 2 other cases: too few to compare with");
    assertThatThrownBy(() -> Subgroups.compute(GRADES, data.truth(), data.predicted(),
        Map.of("scanner", scanner.subList(0, 29)), FAST))
        .hasMessage("grouping column 'scanner' has 29 values for 30 cases");
  }
}
