package org.rheumalens.ml;

import org.rheumalens.oversight.RegressionOversight;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.rheumalens.oversight.Calibration;
import org.rheumalens.oversight.FeatureGaussian;
import org.rheumalens.oversight.OodGateSettings;
import org.rheumalens.oversight.OversightCharts;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.oversight.QualityThresholds;
import org.rheumalens.oversight.Quantiles;
import org.rheumalens.oversight.Reliability;
import org.rheumalens.oversight.RiskCoverage;
import org.rheumalens.oversight.TemperatureScaling;
import org.rheumalens.oversight.TriagePolicy;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;

/**
 * Fits a trained model's oversight settings: temperature scaling and the triage limits on val, the
 * out-of-distribution gate's feature density on train (its threshold on val), image-quality limits on val. Writes the
 * gate's files, a reliability diagram and a risk-coverage chart into the model folder and the settings into its card.
 */
public final class OversightFitter {

  /** Default val accuracy that auto-accepted grades must reach. */
  public static final double TRIAGE_TARGET_ACCURACY = 0.90;
  public static final int MC_DROPOUT_SAMPLES = 20;
  public static final long MC_DROPOUT_SEED = 7;
  static final String OOD_PREFIX = "ood-gate";
  static final double OOD_VAL_QUANTILE = 0.99;
  static final double QUALITY_PERCENTILE = 0.005;
  private static final int CHUNK = 256;

  private final GradingTask task;
  private final double targetAccuracy;
  private final PrintStream log;

  /** {@code targetAccuracy}: the val accuracy auto-accepted grades must reach (e.g. 0.90). */
  public OversightFitter(GradingTask task, double targetAccuracy, PrintStream log) {
    this.task = task;
    this.targetAccuracy = targetAccuracy;
    this.log = log;
  }

  public OversightSettings fit(Path modelDir, PreparedImages train, PreparedImages val) throws IOException {
    try (GradingModel model = GradingModel.load(modelDir)) {
      int[] truth = val.grades();
      log.printf("oversight: %d val images through the model...%n", val.count());
      List<Plane> valInputs = val.inputs(model.normalisation(task));
      List<NetworkOutput> valOut = model.forward(valInputs, null);
      float[][] logits = valOut.stream().map(NetworkOutput::logits).toArray(float[][]::new);
      float[][] mirrorLogits = model.mirrorLogits(valInputs, logits, model.card().inference());
      PolicyProbabilities policy = new PolicyProbabilities(logits, mirrorLogits);

      Calibration calibration = calibrate(model, policy, truth, modelDir);
      float[][] calibrated = policy.at(calibration.temperature());
      int[] decided = decide(model, calibrated);
      boolean[] correct = new boolean[truth.length];
      for (int i = 0; i < truth.length; i++) {
        correct[i] = decided[i] == truth[i];
      }
      TriagePolicy triage = TriagePolicy.fit(calibrated, decided, truth, targetAccuracy);
      log.printf(Locale.ROOT, "  triage: auto-accept at confidence >= %.3f, borderline margin %.2f: %.1f%% of val accepted at accuracy %.3f (target %.2f)%n",
          triage.minConfidence(), triage.borderlineMargin(), 100 * triage.valCoverage(), triage.valAcceptedAccuracy(), targetAccuracy);

      List<RiskCoverage> curves = riskCoverage(model, valOut, calibrated, decided, correct, calibration.temperature());
      OversightCharts.writeRiskCoverage(modelDir.resolve("risk-coverage.png"), curves);
      for (RiskCoverage c : curves) {
        log.printf(Locale.ROOT, "  risk-coverage %s: accuracy %.3f at 100%%, %.3f at 50%%, %.3f at 20%%; AURC %.4f%n",
            c.score(), c.accuracyAt(1.0), c.accuracyAt(0.5), c.accuracyAt(0.2), c.aurc());
      }

      OodGateSettings ood = fitOodGate(model, train, valOut, modelDir);
      QualityThresholds quality = QualityThresholds.fit(val.qualities(), QUALITY_PERCENTILE);
      OversightSettings settings = new OversightSettings(calibration, ood, quality, triage, MC_DROPOUT_SAMPLES, curves,
          fitSecondary(model, valOut, val));
      model.card().withOversight(settings).write(modelDir);
      return settings;
    }
  }

  /**
   * Each secondary class output gets what the primary has: a temperature fitted on val by NLL, and triage limits so
   * that its auto-accepted answers reach the target accuracy. Null when the task has no secondary class output.
   */
  private java.util.Map<String, OversightSettings.OutputOversight> fitSecondary(GradingModel model,
      List<NetworkOutput> valOut, PreparedImages val) {
    OutputHeads heads = model.heads();
    java.util.Map<String, OversightSettings.OutputOversight> out = new java.util.LinkedHashMap<>();
    // MC-dropout rows of every val image, computed once for all regression outputs (none without one).
    float[][][] dropoutRows = heads.secondary().stream().anyMatch(
        h -> h.output().kind() == org.rheumalens.tasks.TaskDefinition.Kind.REGRESSION)
        ? model.dropoutRows(valOut.stream().map(NetworkOutput::features).toList(), MC_DROPOUT_SAMPLES, MC_DROPOUT_SEED)
        : null;
    for (int k = 0; k < heads.secondary().size(); k++) {
      OutputHeads.Head head = heads.secondary().get(k);
      int from = head.offset() - heads.primaryUnits();
      if (head.output().kind() == org.rheumalens.tasks.TaskDefinition.Kind.REGRESSION) {
        out.put(head.output().name(), OversightSettings.OutputOversight.of(fitRegression(model, valOut, val, k, head, dropoutRows)));
        continue;
      }
      float[][] logits = new float[valOut.size()][];
      int[] truth = new int[valOut.size()];
      for (int i = 0; i < valOut.size(); i++) {
        logits[i] = java.util.Arrays.copyOfRange(valOut.get(i).rest(), from, from + head.units());
        truth[i] = Math.round(val.secondary(i)[k]);
      }
      double temperature = TemperatureScaling.fit(logits, truth);
      float[][] calibrated = new float[logits.length][];
      int[] decided = new int[logits.length];
      for (int i = 0; i < logits.length; i++) {
        calibrated[i] = Softmax.of(logits[i], temperature);
        decided[i] = GradeDecision.argMax(calibrated[i]);
      }
      TriagePolicy triage = TriagePolicy.fit(calibrated, decided, truth, targetAccuracy);
      out.put(head.output().name(), new OversightSettings.OutputOversight(temperature,
          TemperatureScaling.nll(logits, truth, 1), TemperatureScaling.nll(logits, truth, temperature), triage));
      log.printf(Locale.ROOT, "  output %s: temperature %.3f (NLL %.4f -> %.4f); auto-accept at confidence >= %.3f: "
          + "%.1f%% of val at accuracy %.3f%n", head.output().name(), temperature, TemperatureScaling.nll(logits, truth, 1),
          TemperatureScaling.nll(logits, truth, temperature), triage.minConfidence(), 100 * triage.valCoverage(),
          triage.valAcceptedAccuracy());
    }
    return out.isEmpty() ? null : out;
  }

  /** A regression output's conformal interval and review limits, from its val values and their MC-dropout spread. */
  private RegressionOversight fitRegression(GradingModel model, List<NetworkOutput> valOut, PreparedImages val, int k,
      OutputHeads.Head head, float[][][] samples) {
    double[] predicted = new double[valOut.size()];
    double[] truth = new double[valOut.size()];
    double[] spread = new double[valOut.size()];
    for (int i = 0; i < valOut.size(); i++) {
      predicted[i] = head.value(valOut.get(i).rest()[head.offset() - model.heads().primaryUnits()]);
      truth[i] = val.secondary(i)[k];
      spread[i] = OutputHeads.spread(head, samples[i]);
    }
    RegressionOversight fitted = RegressionOversight.fit(predicted, truth, spread, REGRESSION_COVERAGE);
    log.printf(Locale.ROOT, "  output %s: 90%% interval +-%.3f; review above MC-dropout sd %.4f or outside %.2f..%.2f: "
        + "%.1f%% of val accepted, MAE %.3f accepted vs %s reviewed (all %.3f)%n", head.output().name(), fitted.halfWidth(),
        fitted.sdLimit(), fitted.low(), fitted.high(), 100 * fitted.valAcceptedShare(),
        fitted.valAcceptedMae() == null ? Double.NaN : fitted.valAcceptedMae(),
        fitted.valReviewedMae() == null ? "-" : String.format(Locale.ROOT, "%.3f", fitted.valReviewedMae()), fitted.valMae());
    return fitted;
  }

  /** Intended share of a regression output's truths inside its interval. */
  static final double REGRESSION_COVERAGE = 0.9;

  private Calibration calibrate(GradingModel model, PolicyProbabilities policy, int[] truth,
      Path modelDir) throws IOException {
    // T is fitted to the probabilities the model reports (with mirrored-image averaging when its policy uses it).
    double temperature = TemperatureScaling.fitMinimising(t -> TemperatureScaling.nll(policy.at(t), truth));
    int n = truth.length;
    // Cross-fitting: each half of val is scaled by the temperature fitted on the other half.
    double[] halfTemperature = new double[2];
    for (int half = 0; half < 2; half++) {
      int h = half;
      int[] idx = IntStream.range(0, n).filter(i -> i % 2 != h).toArray();
      int[] halfTruth = select(truth, idx);
      halfTemperature[half] = TemperatureScaling.fitMinimising(t -> TemperatureScaling.nll(select(policy.at(t), idx), halfTruth));
    }
    float[][] crossFitted = new float[n][];
    for (int half = 0; half < 2; half++) {
      float[][] scaled = policy.at(halfTemperature[half]);
      for (int i = half; i < n; i += 2) {
        crossFitted[i] = scaled[i];
      }
    }
    Reliability before = reliability(model, policy.at(1.0), truth);
    Reliability after = reliability(model, policy.at(temperature), truth);
    Reliability afterCrossFitted = reliability(model, crossFitted, truth);
    OversightCharts.writeReliability(modelDir.resolve("reliability.png"), before, after, temperature);
    Calibration calibration = new Calibration("temperature-scaling", temperature, before.ece(), after.ece(),
        afterCrossFitted.ece(), TemperatureScaling.nll(policy.at(1.0), truth), TemperatureScaling.nll(policy.at(temperature), truth), n);
    log.printf(Locale.ROOT, "  calibration: temperature %.3f; ECE %.4f -> %.4f (cross-fitted %.4f); NLL %.4f -> %.4f%n",
        temperature, calibration.eceBefore(), calibration.eceAfter(), calibration.eceAfterCrossFitted(),
        calibration.nllBefore(), calibration.nllAfter());
    return calibration;
  }

  private static Reliability reliability(GradingModel model, float[][] probabilities, int[] truth) {
    double[] confidence = new double[truth.length];
    boolean[] correct = new boolean[truth.length];
    for (int i = 0; i < truth.length; i++) {
      int grade = model.decide(probabilities[i]);
      confidence[i] = probabilities[i][grade];
      correct[i] = grade == truth[i];
    }
    return Reliability.of(confidence, correct, Reliability.DEFAULT_BINS);
  }

  private List<RiskCoverage> riskCoverage(GradingModel model, List<NetworkOutput> valOut, float[][] calibrated,
      int[] decided, boolean[] correct, double temperature) {
    int n = correct.length;
    double[] confidence = new double[n];
    double[] negEntropy = new double[n];
    double[] negMutualInformation = new double[n];
    List<float[]> features = valOut.stream().map(NetworkOutput::features).toList();
    float[][][] samples = model.dropoutLogits(features, MC_DROPOUT_SAMPLES, MC_DROPOUT_SEED);
    for (int i = 0; i < n; i++) {
      confidence[i] = calibrated[i][decided[i]];
      Uncertainty u = Uncertainty.fromDropoutLogits(samples[i], temperature);
      negEntropy[i] = -u.entropy();
      negMutualInformation[i] = -u.mutualInformation();
    }
    return List.of(RiskCoverage.of("calibrated confidence", confidence, correct),
        RiskCoverage.of("MC-dropout predictive entropy", negEntropy, correct),
        RiskCoverage.of("MC-dropout mutual information", negMutualInformation, correct));
  }

  private OodGateSettings fitOodGate(GradingModel model, PreparedImages train, List<NetworkOutput> valOut, Path modelDir)
      throws IOException {
    log.printf("  OOD gate: features of %d training images...%n", train.count());
    List<float[]> trainFeatures = new ArrayList<>(train.count());
    Pipeline normalisation = model.normalisation(task);
    for (int start = 0; start < train.count(); start += CHUNK) {
      List<Plane> slice = train.inputs(normalisation, start, Math.min(train.count(), start + CHUNK));
      model.forward(slice, null).forEach(o -> trainFeatures.add(o.features()));
    }
    FeatureGaussian density = FeatureGaussian.fit(trainFeatures, train.grades(), task.classes());
    density.write(modelDir, OOD_PREFIX);
    double[] scores = valOut.stream().mapToDouble(o -> density.score(o.features())).toArray();
    double threshold = Quantiles.ofUnsorted(scores, OOD_VAL_QUANTILE);
    double passRate = passRate(scores, threshold);
    // Cross-fitted: cut each half at the other half's quantile.
    double[] even = IntStream.range(0, scores.length).filter(i -> i % 2 == 0).mapToDouble(i -> scores[i]).toArray();
    double[] odd = IntStream.range(0, scores.length).filter(i -> i % 2 == 1).mapToDouble(i -> scores[i]).toArray();
    double crossFitted = (passRate(odd, Quantiles.ofUnsorted(even, OOD_VAL_QUANTILE)) * odd.length
        + passRate(even, Quantiles.ofUnsorted(odd, OOD_VAL_QUANTILE)) * even.length) / scores.length;
    log.printf(Locale.ROOT, "  OOD gate: threshold %.1f (val %.0f%% quantile); val pass rate %.3f (cross-fitted %.3f)%n",
        threshold, 100 * OOD_VAL_QUANTILE, passRate, crossFitted);
    return new OodGateSettings("feature-mahalanobis", OOD_PREFIX, threshold, OOD_VAL_QUANTILE, passRate, crossFitted,
        trainFeatures.size());
  }

  private int[] decide(GradingModel model, float[][] probabilities) {
    int[] out = new int[probabilities.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = model.decide(probabilities[i]);
    }
    return out;
  }

  private static double passRate(double[] scores, double threshold) {
    return (double) java.util.Arrays.stream(scores).filter(s -> s <= threshold).count() / scores.length;
  }

  private static float[][] select(float[][] rows, int[] idx) {
    return java.util.Arrays.stream(idx).mapToObj(i -> rows[i]).toArray(float[][]::new);
  }

  private static int[] select(int[] values, int[] idx) {
    return java.util.Arrays.stream(idx).map(i -> values[i]).toArray();
  }

  /** The policy's probabilities at any temperature: softmax of the logits, averaged with the mirror's where there is one. */
  private record PolicyProbabilities(float[][] logits, float[][] mirrorLogits) {
    float[][] at(double temperature) {
      float[][] out = new float[logits.length][];
      for (int i = 0; i < logits.length; i++) {
        out[i] = GradingModel.probabilities(logits[i], mirrorLogits[i], temperature);
      }
      return out;
    }
  }
}
