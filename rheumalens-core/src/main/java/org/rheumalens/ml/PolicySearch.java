package org.rheumalens.ml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.eval.GradingMetrics;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;

/**
 * Chooses on val how a trained model reads grades: the decision rule (argmax, ordinal median, rounded expectation)
 * and how much mirrored averaging: none, only for images whose single pass is unsure (margins {@link #MARGINS}), or
 * always. Candidates run cheapest first and a later one must score higher by more than {@link #MIN_GAIN}, so ties
 * and gains of a single val image keep the cheaper policy.
 * Each image goes through the network once and mirrored once; every candidate is then read off those logits.
 */
public final class PolicySearch {

  /** Single-pass top-two margins below which the mirror runs, cheapest (fewest mirrored) first. */
  static final double[] MARGINS = {0.1, 0.2, 0.3, 0.5};
  /**
   * The least score gain worth a costlier policy: about 1.5 images of accuracy on the 826 val knees. Smaller gains
   * are one image changing sides, not a better policy, and would buy mirrored passes for nothing.
   */
  static final double MIN_GAIN = 0.002;

  /** The chosen policy, its val metrics, and one row per candidate tried. */
  public record Outcome(InferencePolicy policy, GradingMetrics metrics, List<Map<String, Object>> candidates) {}

  private PolicySearch() {}

  /**
   * Chooses the policy of the model in {@code modelDir} again on val and writes it into its card. Refit the oversight
   * afterwards: its temperature and triage limits were fitted to the old policy's probabilities.
   */
  public static Outcome rechoose(Path modelDir, GradingTask task, PreparedImages val) throws IOException {
    try (GradingModel model = GradingModel.load(modelDir)) {
      Outcome outcome = run(model, val.inputs(model.normalisation(task)), val.grades(), task.classes(),
          task.primary().kind() == org.rheumalens.tasks.TaskDefinition.Kind.ORDINAL);
      model.card().withPolicy(outcome.policy(), ModelCard.metrics(outcome.metrics(), task.grades()), outcome.candidates())
          .write(modelDir);
      return outcome;
    }
  }

  /**
   * Tries one pass and the mirror rules on val. Distilled models are searched too: a student trained for another
   * reason than speed (a new normalisation) may gain from its mirror, and a costlier rule must pay for itself anyway.
   * The ordinal decision rules (median, expectation) are tried only for {@code ordinal} outputs: for categories
   * without an order they mean nothing.
   */
  public static Outcome run(GradingModel model, List<Plane> valInputs, int[] truth, int classes, boolean ordinal) {
    float[][] logits = model.forward(valInputs, null).stream().map(NetworkOutput::logits).toArray(float[][]::new);
    float[][] mirror = model.forward(valInputs.stream().map(Plane::mirrored).toList(), null).stream()
        .map(NetworkOutput::logits).toArray(float[][]::new);
    List<InferencePolicy> mirroring = new ArrayList<>();
    mirroring.add(InferencePolicy.PLAIN);
    for (double margin : MARGINS) {
      mirroring.add(new InferencePolicy(GradeDecision.ARGMAX, true, margin));
    }
    mirroring.add(new InferencePolicy(GradeDecision.ARGMAX, true, null));
    InferencePolicy chosen = InferencePolicy.PLAIN;
    GradingMetrics chosenMetrics = null;
    double chosenScore = Double.NEGATIVE_INFINITY;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (InferencePolicy mirrorRule : mirroring) {
      float[][] probabilities = new float[logits.length][];
      int mirrored = 0;
      for (int i = 0; i < logits.length; i++) {
        boolean useMirror = mirrorRule.needsMirror(logits[i]);
        mirrored += useMirror ? 1 : 0;
        probabilities[i] = model.probabilities(logits[i], useMirror ? mirror[i] : null);
      }
      for (GradeDecision decision : ordinal ? GradeDecision.values() : new GradeDecision[] {GradeDecision.ARGMAX}) {
        InferencePolicy candidate = new InferencePolicy(decision, mirrorRule.flipAveraging(), mirrorRule.mirrorBelowMargin());
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < predicted.length; i++) {
          predicted[i] = decision.decide(probabilities[i]);
        }
        GradingMetrics metrics = GradingMetrics.compute(classes, truth, predicted);
        double score = GradingTrainer.selectionScore(metrics, ordinal);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("decision", decision.name());
        row.put("flip_averaging", candidate.flipAveraging());
        row.put("mirror_below_margin", candidate.mirrorBelowMargin());
        row.put("mirrored_share", mirrored / (double) logits.length);
        row.put("accuracy", metrics.accuracy());
        row.put("quadratic_weighted_kappa", metrics.quadraticWeightedKappa());
        row.put("mae", metrics.meanAbsoluteError());
        row.put("score", score);
        rows.add(row);
        if (chosenMetrics == null || score > chosenScore + MIN_GAIN) {
          chosen = candidate;
          chosenMetrics = metrics;
          chosenScore = score;
        }
      }
    }
    return new Outcome(chosen, chosenMetrics, rows);
  }
}
