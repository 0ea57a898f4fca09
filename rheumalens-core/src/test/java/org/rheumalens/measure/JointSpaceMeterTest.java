package org.rheumalens.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.preprocess.Plane;

/** The meter against knee phantoms whose joint space widths are known to the sub-pixel. */
class JointSpaceMeterTest {

  private static final int SIZE = 224;

  @Property(tries = 40)
  void measuresKnownWidthsToWithinOnePixel(
      @ForAll @DoubleRange(min = 3, max = 14) double leftGap, @ForAll @DoubleRange(min = 3, max = 14) double rightGap,
      @ForAll @DoubleRange(min = -12, max = 12) double jointShift, @ForAll long seed) {
    Plane knee = phantom(leftGap, rightGap, jointShift, new SplittableRandom(seed));
    JointSpaceWidth left = new JointSpaceMeter().measure(knee, Side.LEFT, OptionalDouble.empty());
    assertThat(left.medialPx()).as("medial of a left knee = image left").isCloseTo(leftGap, within(1.0));
    assertThat(left.lateralPx()).isCloseTo(rightGap, within(1.0));
    JointSpaceWidth right = new JointSpaceMeter().measure(knee, Side.RIGHT, OptionalDouble.of(0.5));
    assertThat(right.medialPx()).as("medial of a right knee = image right").isCloseTo(rightGap, within(1.0));
    assertThat(right.medialMm()).isCloseTo(right.medialPx() * 0.5, within(0.01));
    assertThat(right.side()).isEqualTo("R");
  }

  @Test
  void unknownSideGivesImageHalvesOnly() {
    JointSpaceWidth jsw = new JointSpaceMeter().measure(phantom(5, 9, 0, new SplittableRandom(1)), Side.UNKNOWN,
        OptionalDouble.empty());
    assertThat(jsw.side()).isNull();
    assertThat(jsw.medialPx()).isNull();
    assertThat(jsw.imageLeftPx()).isCloseTo(5, within(1.0));
    assertThat(jsw.imageRightPx()).isCloseTo(9, within(1.0));
  }

  @Test
  void sideComesFromTheFileNameSuffix() {
    assertThat(Side.fromFileName("9006140L.png")).isEqualTo(Side.LEFT);
    assertThat(Side.fromFileName("knee_r.dcm")).isEqualTo(Side.RIGHT);
    assertThat(Side.fromFileName("pelvis.png")).isEqualTo(Side.UNKNOWN);
    assertThat(Side.fromFileName("skull.png")).as("a word ending in l is no side").isEqualTo(Side.UNKNOWN);
  }

  /**
   * Femur above a gently curved joint line, tibia below, a dark joint space between whose width grows linearly from
   * {@code leftGap} (at column 40) and {@code rightGap} (at column 184) towards the middle, where the intercondylar
   * notch opens; pixels are area-sampled, blurred (sigma 1) and noisy.
   */
  static Plane phantom(double leftGap, double rightGap, double jointShift, SplittableRandom random) {
    float[] d = new float[SIZE * SIZE];
    for (int x = 0; x < SIZE; x++) {
      double centre = 112 + jointShift + 0.0006 * (x - 112) * (x - 112);
      double gap;
      if (x < 95) {
        gap = leftGap + 3.0 * Math.max(0, x - 40) / 55.0;
      } else if (x > 129) {
        gap = rightGap + 3.0 * Math.max(0, 184 - x) / 55.0;
      } else {
        gap = 20;
      }
      double top = centre - gap / 2;
      double bottom = centre + gap / 2;
      boolean inKnee = x >= 20 && x < 204;
      for (int y = 0; y < SIZE; y++) {
        double inGap = Math.max(0, Math.min(y + 1, bottom) - Math.max(y, top));
        double bone = inKnee ? (y < centre ? 0.75 : 0.70) : 0.25;
        double gapValue = inKnee ? 0.12 : 0.25;
        d[y * SIZE + x] = (float) (bone * (1 - inGap) + gapValue * inGap + 0.03 * random.nextGaussian());
      }
    }
    return new Plane(SIZE, SIZE, blur(d));
  }

  private static float[] blur(float[] d) {
    double[] k = {0.054, 0.244, 0.403, 0.244, 0.054};
    float[] tmp = new float[d.length];
    float[] out = new float[d.length];
    for (int pass = 0; pass < 2; pass++) {
      float[] src = pass == 0 ? d : tmp;
      float[] dst = pass == 0 ? tmp : out;
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double acc = 0;
          for (int j = -2; j <= 2; j++) {
            int xx = pass == 0 ? Math.max(0, Math.min(SIZE - 1, x + j)) : x;
            int yy = pass == 1 ? Math.max(0, Math.min(SIZE - 1, y + j)) : y;
            acc += k[j + 2] * src[yy * SIZE + xx];
          }
          dst[y * SIZE + x] = (float) acc;
        }
      }
    }
    return out;
  }
}
