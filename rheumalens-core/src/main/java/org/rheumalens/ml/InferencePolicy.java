package org.rheumalens.ml;

/**
 * How a model turns images into grades at inference: the grade decision rule and whether probabilities are averaged
 * with those of the mirrored image (test-time augmentation). Chosen on val after training, stored in the model card.
 */
public record InferencePolicy(GradeDecision decision, boolean flipAveraging) {

  public static final InferencePolicy PLAIN = new InferencePolicy(GradeDecision.ARGMAX, false);

  public InferencePolicy {
    decision = decision == null ? GradeDecision.ARGMAX : decision;
  }
}
