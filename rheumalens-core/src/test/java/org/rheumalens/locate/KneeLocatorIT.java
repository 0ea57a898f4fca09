package org.rheumalens.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.testing.SharedData;

/**
 * The bundled knee locator on whole bilateral radiographs composed from val crops ({@link SyntheticRadiograph}, the
 * same patient's right and left knee): the share of true crops found with IoU >= 0.8, and of sides named right. The
 * locator as the grader runs it (template, box regressor, and the grading model's verdict on candidates; template and
 * regressor fitted on train crops only) is measured on {@link #COMPOSITES} films, since one knee is 0.2% of them; the
 * parts alone (template matching, template and regressor) on the first {@link #ABLATION_COMPOSITES}. Issue 3 asks
 * for 95% at IoU >= 0.8. As of 2026-11-28 (24-epoch regressor): 0.960 on 240 films (the 12-epoch regressor it
 * replaced: 0.940 there, although 0.950 on the first 80, which is why the sample grew). Results go to
 * {@code target/locator/iou.json}.
 */
class KneeLocatorIT {

  /** Films the full locator is measured on; {@code -Dlocator.composites=N} measures more (the first ones stay). */
  private static final int COMPOSITES = Integer.getInteger("locator.composites", 240);
  /** Films the locator's parts alone are measured on (the first of the same films). */
  private static final int ABLATION_COMPOSITES = 80;
  private static final double TARGET = 0.95;
  /** What the bundled locator must not fall below (measured 0.960 on the 240 films; a knee is 0.2%). */
  private static final double REGRESSION_FLOOR = 0.94;

  @Test
  void findsBothKneesOfSyntheticBilateralRadiographs() throws Exception {
    Path model = ModelLocation.bundled("knee-kl");
    List<Plane[]> pairs = patientPairs(SharedData.kneeKl().resolve("val"));
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> templateOnly = measure(new KneeLocator(KneeTemplate.read(model)), pairs, null, ABLATION_COMPOSITES);
    report.put("template_only", templateOnly);
    Map<String, Object> located;
    try (Grader grader = Grader.open(model)) {
      // What the grader runs: the bundled regressor (where there is one) and the grading model's verdict on candidates.
      KneeBoxRegressor regressor = KneeBoxRegressor.existsIn(model) ? KneeBoxRegressor.load(model) : null;
      try (AutoCloseable closing = regressor == null ? () -> { } : regressor) {
        KneeLocator locator = new KneeLocator(KneeTemplate.read(model), regressor);
        if (regressor != null) {
          report.put("with_box_regressor", measure(locator, pairs, null, ABLATION_COMPOSITES));
        }
        located = measure(locator, pairs, grader, COMPOSITES);
        report.put("with_box_regressor_and_verifier", located);
      }
    }
    Path out = Path.of("target", "locator");
    Files.createDirectories(out);
    new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(out.resolve("iou.json").toFile(), report);
    report.forEach((k, v) -> System.out.println(k + ": " + v));
    double share = (Double) located.get("share_iou_at_least_0.8");
    System.out.printf("issue 3 target (share with IoU >= 0.8 at least %.2f): %s%n", TARGET, share >= TARGET ? "met" : "not met");
    assertThat(share).as(located.toString()).isGreaterThanOrEqualTo(REGRESSION_FLOOR);
    assertThat((Double) located.get("side_correct")).as(located.toString()).isGreaterThanOrEqualTo(REGRESSION_FLOOR);
  }

  /**
   * The locator on the first {@code composites} films (the same ones for every locator: fixed seed), with
   * {@code grader}'s verdict on candidate boxes where it is not null.
   */
  private static Map<String, Object> measure(KneeLocator locator, List<Plane[]> pairs, Grader grader, int composites) {
    SplittableRandom random = new SplittableRandom(5);
    List<Double> ious = new ArrayList<>();
    int sidesRight = 0;
    int found = 0;
    long start = System.nanoTime();
    for (int i = 0; i < composites; i++) {
      Plane[] pair = pairs.get(i % pairs.size());
      SyntheticRadiograph composite = SyntheticRadiograph.bilateral(pair[0], pair[1], random);
      List<KneeLocator.LocatedKnee> knees = locator.locate(composite.image(),
          grader == null ? null : grader.kneeVerifier(composite.radiograph("composite-" + i)));
      found += knees.size();
      for (int k = 0; k < 2; k++) {
        KneeBox truth = composite.boxes().get(k);
        Side expected = k == 0 ? Side.RIGHT : Side.LEFT;
        KneeLocator.LocatedKnee best = knees.stream()
            .max((a, b) -> Double.compare(a.box().iou(truth), b.box().iou(truth))).orElse(null);
        ious.add(best == null ? 0 : best.box().iou(truth));
        if (best != null && best.side() == expected) {
          sidesRight++;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] sorted = ious.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("composites", composites);
    report.put("knees", sorted.length);
    report.put("knees_found", found);
    report.put("share_iou_at_least_0.8", Arrays.stream(sorted).filter(v -> v >= 0.8).count() / (double) sorted.length);
    report.put("iou_median", sorted[sorted.length / 2]);
    report.put("iou_p05", sorted[(int) (0.05 * sorted.length)]);
    report.put("iou_min", sorted[0]);
    report.put("side_correct", sidesRight / (double) sorted.length);
    report.put("seconds_per_radiograph", seconds / composites);
    return report;
  }

  /** Val patients with both knees in val, as {right, left} windowed crops; patients in name order. */
  private static List<Plane[]> patientPairs(Path val) throws Exception {
    Map<String, Path[]> byPatient = new TreeMap<>();
    try (Stream<Path> files = Files.walk(val)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) {
        String stem = f.getFileName().toString().replace(".png", "");
        Side side = Side.fromFileName(f.getFileName().toString());
        Path[] pair = byPatient.computeIfAbsent(stem.substring(0, stem.length() - 1), k -> new Path[2]);
        pair[side == Side.RIGHT ? 0 : 1] = f;
      }
    }
    RadiographReader reader = RadiographReader.standard();
    IntensityWindow window = IntensityWindow.standard();
    List<Plane[]> pairs = new ArrayList<>();
    for (Path[] pair : byPatient.values()) {
      if (pair[0] != null && pair[1] != null) {
        pairs.add(new Plane[] {window.apply(reader.read(pair[0])), window.apply(reader.read(pair[1]))});
      }
    }
    assertThat(pairs).as("val patients with both knees").hasSizeGreaterThan(50);
    return pairs;
  }
}
