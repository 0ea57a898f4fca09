package org.rheumalens.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The acquisition augmentation stays in range, is repeatable from its seed and really changes how a crop looks. */
class RandomAcquisitionTest {

  @Property(tries = 40)
  void staysInUnitRangeOnAQuantisedGridAndRepeatsForASeed(@ForAll long seed) {
    Plane crop = texturedCrop(96);
    Plane once = RandomAcquisition.standard().apply(crop, new SplittableRandom(seed));
    Plane again = RandomAcquisition.standard().apply(crop, new SplittableRandom(seed));
    assertThat(again.data()).containsExactly(once.data());
    boolean onSomeGrid = false;
    for (int bits = 8; bits <= 12; bits++) {
      int levels = (1 << bits) - 1;
      boolean all = true;
      for (float v : once.data()) {
        assertThat(v).isBetween(0f, 1f);
        all &= Math.abs(v * levels - Math.round(v * levels)) < 1e-3;
      }
      onSomeGrid |= all;
    }
    assertThat(onSomeGrid).as("values lie on an 8- to 12-bit grid").isTrue();
  }

  @Test
  void unEnhancingDampsDetailButKeepsTheFullWindow() {
    Plane crop = texturedCrop(128);
    RandomAcquisition alwaysRaw = new RandomAcquisition(1.0, 0, 0, 16, 16);
    Plane raw = alwaysRaw.apply(crop, new SplittableRandom(3));
    float min = 1;
    float max = 0;
    for (float v : raw.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).as("stretched to its percentiles like an inference window").isLessThan(0.01f);
    assertThat(max).isGreaterThan(0.99f);
    assertThat(raw.data()).isNotEqualTo(crop.data());
  }

  @Test
  void refusesImpossibleSettings() {
    assertThatThrownBy(() -> new RandomAcquisition(1.5, 0, 0, 8, 12)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RandomAcquisition(0.5, 0, 0, 12, 8)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A smooth background with fine stripes: both scales the augmentation treats differently. */
  private static Plane texturedCrop(int size) {
    float[] d = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        d[y * size + x] = (float) (0.2 + 0.5 * y / size + 0.15 * Math.sin(x * 0.8));
      }
    }
    return new Plane(size, size, d);
  }
}
