package org.rheumalens.oversight;

/**
 * How a model's probabilities were calibrated on val, and how much it helped.
 *
 * @param method "temperature-scaling"
 * @param temperature logits are divided by this before the softmax
 * @param eceBefore expected calibration error of the reported confidence before scaling (val, 15 bins)
 * @param eceAfter the same after scaling, temperature fitted on all of val (in-sample)
 * @param eceAfterCrossFitted the same with each half of val scaled by a temperature fitted on the other half: what to expect on new data
 * @param nllBefore mean negative log-likelihood before
 * @param nllAfter and after
 * @param valImages images it was fitted on
 */
public record Calibration(String method, double temperature, double eceBefore, double eceAfter,
    double eceAfterCrossFitted, double nllBefore, double nllAfter, int valImages) {

  public static final Calibration NONE = new Calibration("none", 1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
}
