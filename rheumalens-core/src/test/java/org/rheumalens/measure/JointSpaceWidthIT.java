package org.rheumalens.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.tasks.Tasks;
import org.rheumalens.testing.SharedData;

/**
 * The joint space meter on every val knee, against what is known of knees: the medial compartment is the narrower in
 * most healthy knees (this checks the side convention), and joint space narrows as the KL grade rises (KL3 is defined
 * by definite narrowing). Results per grade go to {@code target/jsw/val.json}.
 */
class JointSpaceWidthIT {

  @Test
  void medialWidthNarrowsWithGradeAndIsTheNarrowerInHealthyKnees() throws Exception {
    RadiographReader reader = RadiographReader.standard();
    JointSpaceMeter meter = new JointSpaceMeter();
    List<double[]> gradeAndMedial = new ArrayList<>();
    int healthy = 0;
    int healthyMedialNarrower = 0;
    int untraced = 0;
    int n = 0;
    Map<Integer, List<Double>> medialByGrade = new LinkedHashMap<>();
    for (int grade = 0; grade < 5; grade++) {
      medialByGrade.put(grade, new ArrayList<>());
      try (Stream<Path> files = Files.list(SharedData.kneeKl().resolve("val").resolve(String.valueOf(grade)))) {
        for (Path file : files.sorted().toList()) {
          n++;
          Side side = Side.fromFileName(file.getFileName().toString());
          JointSpaceWidth jsw = meter.measure(Tasks.KNEE_KL.prepare(reader.read(file)), side, OptionalDouble.empty());
          if (jsw.medialPx() == null || jsw.lateralPx() == null) {
            untraced++;
            continue;
          }
          medialByGrade.get(grade).add(jsw.medialPx());
          gradeAndMedial.add(new double[] {grade, jsw.medialPx()});
          if (grade <= 1) {
            healthy++;
            healthyMedialNarrower += jsw.medialPx() < jsw.lateralPx() ? 1 : 0;
          }
        }
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("n", n);
    report.put("untraced", untraced);
    report.put("kl01_medial_narrower", healthyMedialNarrower / (double) healthy);
    Map<String, Double> medians = new LinkedHashMap<>();
    medialByGrade.forEach((g, v) -> medians.put("KL" + g, median(v)));
    report.put("median_medial_px_by_grade", medians);
    double rho = spearman(gradeAndMedial);
    report.put("spearman_grade_vs_medial", rho);
    Files.createDirectories(Path.of("target", "jsw"));
    new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(Path.of("target", "jsw", "val.json").toFile(), report);
    String summary = String.format(Locale.ROOT, "%s; Spearman %.3f; medial narrower in KL0-1: %.3f; untraced %d/%d",
        medians, rho, healthyMedialNarrower / (double) healthy, untraced, n);
    System.out.println(summary);
    assertThat(untraced).as(summary).isLessThanOrEqualTo(n / 50);
    assertThat(healthyMedialNarrower / (double) healthy).as(summary).isGreaterThanOrEqualTo(0.75);
    assertThat(medians.get("KL0")).as(summary).isGreaterThan(medians.get("KL3"));
    assertThat(medians.get("KL3")).as(summary).isGreaterThan(medians.get("KL4"));
    assertThat(rho).as(summary).isLessThan(-0.2);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  /** Spearman rank correlation of the pairs' two columns (average ranks for ties). */
  private static double spearman(List<double[]> pairs) {
    double[] a = ranks(pairs, 0);
    double[] b = ranks(pairs, 1);
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return cov / Math.sqrt(va * vb);
  }

  private static double[] ranks(List<double[]> pairs, int column) {
    Integer[] order = new Integer[pairs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(pairs.get(x)[column], pairs.get(y)[column]));
    double[] ranks = new double[order.length];
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j + 1 < order.length && pairs.get(order[j + 1])[column] == pairs.get(order[i])[column]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = (i + j) / 2.0;
      }
      i = j + 1;
    }
    return ranks;
  }
}
