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

  @Test
  void furtherViewsBelongToTheMirrorPassAndAreBounded() {
    InferencePolicy views = new InferencePolicy(GradeDecision.ARGMAX, true, 0.2).withViews(4);
    assertThat(views.views()).isEqualTo(4);
    assertThat(views.describe()).contains("4 shifted/scaled views");
    assertThat(new InferencePolicy(GradeDecision.ARGMAX, false, null, 4).views()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> views.withViews(TestTimeViews.MAX + 1))
        .hasMessageContaining("views must be");
  }

  @Test
  void theViewsAreTheMirrorThenSmallShiftsOfTheCrop() {
    float[] values = new float[224 * 224];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 224) / 223f;
    }
    org.rheumalens.preprocess.Plane ramp = new org.rheumalens.preprocess.Plane(224, 224, values);
    java.util.List<org.rheumalens.preprocess.Plane> views = TestTimeViews.of(ramp, 2);
    assertThat(views).hasSize(3);
    assertThat(views.get(0).data()).containsExactly(ramp.mirrored().data());
    // View 1 shifts the crop 3 pixels right: each pixel shows what was 3 pixels to its left.
    assertThat(views.get(1).at(100, 100)).isCloseTo(ramp.at(97, 100), org.assertj.core.data.Offset.offset(1e-5f));
    // View 2 is mirrored and shifted the other way.
    assertThat(views.get(2).at(100, 100)).isCloseTo(ramp.mirrored().at(103, 100), org.assertj.core.data.Offset.offset(1e-5f));
  }
}
