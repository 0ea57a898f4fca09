package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the mirrored pass runs: never, always, or only for an unsure single pass. */
class InferencePolicyTest {

  private static final float[] SURE = {6f, 1f, 0f, 0f, 0f};
  /** Two grades almost equally likely. */
  private static final float[] UNSURE = {2f, 1.9f, 0f, 0f, 0f};

  @Test
  void plainNeverMirrorsAndAlwaysAlwaysDoes() {
    assertThat(InferencePolicy.PLAIN.needsMirror(UNSURE)).isFalse();
    InferencePolicy always = new InferencePolicy(GradeDecision.ARGMAX, true);
    assertThat(always.needsMirror(SURE)).isTrue();
    assertThat(always.needsMirror(UNSURE)).isTrue();
  }

  @Test
  void aMarginMirrorsOnlyUnsurePasses() {
    InferencePolicy adaptive = new InferencePolicy(GradeDecision.ARGMAX, true, 0.2);
    assertThat(adaptive.needsMirror(UNSURE)).isTrue();
    assertThat(adaptive.needsMirror(SURE)).isFalse();
    assertThat(InferencePolicy.topTwoMargin(new float[] {0.1f, 0.5f, 0.3f, 0.1f, 0f})).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void withoutMirroringAMarginMeansNothing() {
    InferencePolicy policy = new InferencePolicy(GradeDecision.ARGMAX, false, 0.3);
    assertThat(policy.mirrorBelowMargin()).isNull();
    assertThat(policy.describe()).contains("off");
  }
}
