package org.rheumalens.oversight;

import java.util.List;

/**
 * Everything a model needs to report calibrated confidence, refuse unusual inputs and route cases to a reader, all
 * fitted on the training and val data after training and stored in its model card; nothing here is hard-coded.
 *
 * @param calibration temperature scaling and its effect
 * @param ood the out-of-distribution gate
 * @param quality image-quality limits
 * @param triage when a grade may be accepted without review
 * @param mcDropoutSamples stochastic head passes behind the reported uncertainty
 * @param riskCoverage accuracy against coverage on val, for each certainty score
 * @param outputs the task's secondary class outputs by name: each its own temperature and triage limits (null for
 *     models with one output)
 */
public record OversightSettings(Calibration calibration, OodGateSettings ood, QualityThresholds quality,
    TriagePolicy triage, int mcDropoutSamples, List<RiskCoverage> riskCoverage,
    java.util.Map<String, OutputOversight> outputs) {

  /**
   * A secondary output's oversight fitted on val: a class output's calibration (temperature scaling) and triage
   * limits, or a regression output's interval and triage ({@code regression}; the class fields then neutral).
   */
  public record OutputOversight(double temperature, double nllBefore, double nllAfter, TriagePolicy triage,
      RegressionOversight regression) {

    public OutputOversight(double temperature, double nllBefore, double nllAfter, TriagePolicy triage) {
      this(temperature, nllBefore, nllAfter, triage, null);
    }

    public static OutputOversight of(RegressionOversight regression) {
      return new OutputOversight(1, 0, 0, null, regression);
    }
  }

  public OversightSettings(Calibration calibration, OodGateSettings ood, QualityThresholds quality,
      TriagePolicy triage, int mcDropoutSamples, List<RiskCoverage> riskCoverage) {
    this(calibration, ood, quality, triage, mcDropoutSamples, riskCoverage, null);
  }
}
