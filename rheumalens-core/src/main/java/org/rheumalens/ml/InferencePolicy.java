package org.rheumalens.ml;

/**
 * How a model turns images into grades at inference: the grade decision rule and whether probabilities are averaged
 * with those of the mirrored image (test-time augmentation). With {@code mirrorBelowMargin} set, the mirrored pass
 * runs only for images whose single pass is unsure: the gap between its two most probable grades (uncalibrated
 * softmax, so the rule does not move when the temperature is refitted) is below that margin. A confident single pass
 * is rarely changed by its mirror, so most images then cost one pass instead of two. Chosen on val after training,
 * stored in the model card.
 *
 * @param decision how a grade is read off the probabilities
 * @param flipAveraging whether mirrored averaging is used at all
 * @param mirrorBelowMargin under flip averaging, the single-pass margin below which the mirror runs (null: always)
 */
public record InferencePolicy(GradeDecision decision, boolean flipAveraging, Double mirrorBelowMargin) {

  public static final InferencePolicy PLAIN = new InferencePolicy(GradeDecision.ARGMAX, false, null);

  public InferencePolicy {
    decision = decision == null ? GradeDecision.ARGMAX : decision;
    if (!flipAveraging) {
      mirrorBelowMargin = null;
    }
  }

  public InferencePolicy(GradeDecision decision, boolean flipAveraging) {
    this(decision, flipAveraging, null);
  }

  /** Whether an image whose single pass gave {@code logits} also goes through the network mirrored. */
  public boolean needsMirror(float[] logits) {
    return flipAveraging && (mirrorBelowMargin == null || topTwoMargin(Softmax.of(logits, 1.0)) < mirrorBelowMargin);
  }

  /** The most probable grade's probability minus the second's. */
  static double topTwoMargin(float[] probabilities) {
    float first = Float.NEGATIVE_INFINITY;
    float second = Float.NEGATIVE_INFINITY;
    for (float p : probabilities) {
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    return first - second;
  }

  /** In words, for cards and logs. */
  public String describe() {
    String mirror = !flipAveraging ? "off"
        : mirrorBelowMargin == null ? "on" : String.format(java.util.Locale.ROOT, "when the single pass's top-two margin < %.2f", mirrorBelowMargin);
    return "decision rule " + decision + ", mirrored-image averaging " + mirror;
  }
}
