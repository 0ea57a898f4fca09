package org.rheumalens.ml;

/**
 * How a model turns images into grades at inference: the grade decision rule and whether probabilities are averaged
 * with those of the mirrored image (test-time augmentation). With {@code mirrorBelowMargin} set, the mirrored pass
 * runs only for images whose single pass is unsure: the gap between its two most probable grades (uncalibrated
 * softmax, so the rule does not move when the temperature is refitted) is below that margin. A confident single pass
 * is rarely changed by its mirror, so most images then cost one pass instead of two. Chosen on val after training,
 * stored in the model card. With {@code views} above 0, that second opinion is the mean logits of the mirror and
 * {@code views} further fixed views ({@link TestTimeViews}: the crop shifted by a few pixels or scaled by 4%, some
 * mirrored), so that a grade near a boundary does not hang on the exact framing of the crop.
 *
 * @param decision how a grade is read off the probabilities
 * @param flipAveraging whether mirrored averaging is used at all
 * @param mirrorBelowMargin under flip averaging, the single-pass margin below which the mirror runs (null: always)
 * @param views fixed shifted/scaled views averaged into the mirror pass (0: the mirror alone)
 */
public record InferencePolicy(GradeDecision decision, boolean flipAveraging, Double mirrorBelowMargin, int views) {

  public static final InferencePolicy PLAIN = new InferencePolicy(GradeDecision.ARGMAX, false, null);

  public InferencePolicy {
    decision = decision == null ? GradeDecision.ARGMAX : decision;
    if (!flipAveraging) {
      mirrorBelowMargin = null;
      views = 0;
    }
    if (views < 0 || views > TestTimeViews.MAX) {
      throw new IllegalArgumentException("views must be 0.." + TestTimeViews.MAX + ", not " + views);
    }
  }

  public InferencePolicy(GradeDecision decision, boolean flipAveraging, Double mirrorBelowMargin) {
    this(decision, flipAveraging, mirrorBelowMargin, 0);
  }

  public InferencePolicy(GradeDecision decision, boolean flipAveraging) {
    this(decision, flipAveraging, null);
  }

  /** The same policy with {@code count} further views in its second opinion. */
  public InferencePolicy withViews(int count) {
    return new InferencePolicy(decision, flipAveraging, mirrorBelowMargin, count);
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
    return "decision rule " + decision + ", mirrored-image averaging " + mirror
        + (views > 0 ? " with " + views + " shifted/scaled views" : "");
  }
}
