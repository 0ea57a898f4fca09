package org.rheumalens.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rheumalens.imaging.Radiograph;

/** The preprocessing steps do what the model card says they do. */
class PreprocessingTest {

  @Property(tries = 30)
  void claheKeepsValuesInUnitRangeAndSpreadsALowContrastImage(
      @ForAll @DoubleRange(min = 0.3, max = 0.6) double base, @ForAll @DoubleRange(min = 0.05, max = 0.2) double span) {
    Plane flat = gradient(64, 64, (float) base, (float) (base + span));
    for (float v : new Clahe(4, 4, 2.0).apply(flat, null).data()) {
      assertThat(v).isBetween(0f, 1f);
    }
    // One tile sees the whole ramp (13+ grey levels); with fewer levels per tile the clip limit deliberately stops
    // CLAHE from amplifying what is mostly noise.
    Plane out = new Clahe(1, 1, 2.0).apply(flat, null);
    assertThat(range(out)).as("contrast after CLAHE").isGreaterThan(range(flat) * 2);
  }

  @Property(tries = 60)
  void countedPercentilesEqualSortedOnes(
      @ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 0, max = 70000) int range,
      @ForAll @IntRange(min = -2000, max = 2000) int offset, @ForAll boolean fractional, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = offset + random.nextInt(range + 1) + (fractional && i == n / 2 ? 0.5f : 0f);
    }
    float[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int lo = (int) Math.floor(0.005 * (n - 1));
    int hi = (int) Math.ceil(0.995 * (n - 1));
    assertThat(IntensityWindow.percentiles(values, 0.5, 99.5)).containsExactly(sorted[lo], sorted[hi]);
    double[] counted = IntensityWindow.integerOrderStatistics(values, lo, hi);
    if (fractional) {
      assertThat(counted).as("non-integer values fall back to sorting").isNull();
    } else {
      assertThat(counted).containsExactly(sorted[lo], sorted[hi]);
    }
  }

  @Test
  void claheIsMonotoneWithinATile() {
    Plane ramp = gradient(32, 32, 0.2f, 0.8f);
    Plane out = new Clahe(1, 1, 4.0).apply(ramp, null);
    for (int x = 1; x < 32; x++) {
      assertThat(out.at(x, 5)).isGreaterThanOrEqualTo(out.at(x - 1, 5));
    }
  }

  @Property(tries = 30)
  void squareResizeGivesTheModelSizeFromAnyShape(
      @ForAll @IntRange(min = 16, max = 900) int width, @ForAll @IntRange(min = 16, max = 900) int height) {
    Plane out = new SquareResize(64).apply(gradient(width, height, 0, 1), null);
    assertThat(out.width()).isEqualTo(64);
    assertThat(out.height()).isEqualTo(64);
  }

  @Test
  void squareResizeAveragesWhenShrinkingALot() {
    Plane checker = Plane.blank(640, 640);
    for (int i = 0; i < checker.data().length; i++) {
      checker.data()[i] = ((i % 640) + (i / 640)) % 2;
    }
    Plane out = new SquareResize(64).apply(checker, null);
    for (float v : out.data()) {
      assertThat(v).isCloseTo(0.5f, within(0.01f));
    }
  }

  @Test
  void affineWithoutRandomnessIsTheIdentityAndAlwaysFlipMirrors() {
    Plane ramp = gradient(40, 30, 0, 1);
    Plane same = new RandomAffine(0, 0, 0, 0).apply(ramp, new SplittableRandom(1));
    assertThat(same.data()).containsExactly(ramp.data(), within(1e-5f));
    Plane mirrored = new RandomAffine(1, 0, 0, 0).apply(ramp, new SplittableRandom(1));
    assertThat(mirrored.at(0, 10)).isCloseTo(ramp.at(39, 10), within(1e-5f));
    assertThat(mirrored.at(39, 10)).isCloseTo(ramp.at(0, 10), within(1e-5f));
  }

  @Test
  void windowUsesTheDicomVoiWindowAndInvertsMonochromeOne() {
    float[] values = {0, 1000, 2000, 3000, 4000, 5000};
    Radiograph mono1 = new Radiograph("t", "DICOM", 6, 1, values, 12, true,
        Optional.of(new Radiograph.Window(2000.5, 2001)), Optional.empty(), "CR");
    Plane plane = IntensityWindow.standard().apply(mono1);
    // Window 1000..3000 (PS3.3 linear), then inverted: 1000 -> 1 (white), 3000 -> 0 (black).
    assertThat(plane.data()).containsExactly(new float[] {1, 1, 0.5f, 0, 0, 0}, within(1e-3f));
  }

  @Test
  void withoutAWindowAHotPixelDoesNotSquashTheImage() {
    float[] values = new float[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 100 + i % 100;
    }
    values[0] = 65_535;
    Radiograph image = new Radiograph("t", "PNG", 100, 100, values, 16, false, Optional.empty(), Optional.empty(), "OT");
    Plane plane = IntensityWindow.standard().apply(image);
    assertThat(plane.at(50, 50)).isCloseTo(0.5f, within(0.05f));
  }

  @Property(tries = 20)
  void histogramEqualisationDoesNotSeeAGammaCurveOrBitDepth(
      @ForAll @DoubleRange(min = 0.4, max = 2.5) double gamma, @ForAll long seed) {
    Plane image = texturedImage(64, 64, seed);
    Plane curved = Plane.blank(64, 64);
    Plane twelveBit = Plane.blank(64, 64);
    for (int i = 0; i < image.data().length; i++) {
      curved.data()[i] = (float) Math.pow(image.data()[i], gamma);
      twelveBit.data()[i] = Math.round(image.data()[i] * 4095) + 1000; // another range, other units
    }
    HistogramEqualisation equalise = new HistogramEqualisation(4096);
    Plane reference = equalise.apply(image, null);
    // Ranks survive any increasing map; only values sharing a bin in one version and not the other move.
    assertThat(meanAbsoluteDifference(equalise.apply(curved, null), reference)).isLessThan(0.002);
    assertThat(meanAbsoluteDifference(equalise.apply(twelveBit, null), reference)).isLessThan(0.002);
    for (float v : reference.data()) {
      assertThat(v).isBetween(0f, 1f);
    }
    assertThat(meanAbsoluteDifference(image, reference)).as("equalisation changed the image").isGreaterThan(0.01);
  }

  @Test
  void backgroundFlatteningRemovesAnExposureGradientAndKeepsDetail() {
    Plane detail = texturedImage(128, 128, 3);
    Plane graded = Plane.blank(128, 128);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        graded.data()[y * 128 + x] = detail.at(x, y) + 0.5f * x / 127f; // heel effect: brighter to the right
      }
    }
    BackgroundFlattening flatten = new BackgroundFlattening(8);
    Plane a = flatten.apply(detail, null);
    Plane b = flatten.apply(graded, null);
    // A box blur keeps a linear ramp exactly wherever its three passes (3 x radius 8) stay inside the image.
    for (int y = 30; y < 98; y++) {
      for (int x = 30; x < 98; x++) {
        assertThat(b.at(x, y)).isCloseTo(a.at(x, y), within(1e-4f));
      }
    }
    assertThat(range(a)).as("fine detail kept").isGreaterThan(0.3f);
  }

  @Test
  void backgroundFlatteningsLowPassIsCloseToAGaussian() {
    Plane image = texturedImage(96, 96, 5);
    Plane flattened = new BackgroundFlattening(6).apply(image, null);
    float[] gaussian = GaussianBlur.blur(image.data(), 96, 96, 6, 6);
    double error = 0;
    double detail = 0;
    for (int i = 0; i < gaussian.length; i++) {
      double lowPass = image.data()[i] - flattened.data()[i];
      error += Math.abs(lowPass - gaussian[i]);
      detail += Math.abs(image.data()[i] - gaussian[i]);
    }
    assertThat(error).as("box low-pass vs Gaussian, against the detail it leaves").isLessThan(0.1 * detail);
  }

  @Test
  void unknownNormalisationIsRefusedNamingTheKnownOnes() {
    org.rheumalens.tasks.GradingTask knee = org.rheumalens.tasks.Tasks.KNEE_KL;
    assertThat(knee.normalisation(null)).isSameAs(knee.defaultNormalisation());
    assertThat(knee.normalisation("flat-equalised").pipeline().describe()).contains("histogram-equalisation(4096 bins)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> knee.normalisation("zscore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'zscore'").hasMessageContaining("clahe").hasMessageContaining("flat-equalised");
  }

  /** Values in [0.05, 0.95]: random fine texture on a smooth blob, like bone over soft tissue. */
  private static Plane texturedImage(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Plane plane = Plane.blank(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = (x - width / 2.0) / width;
        double dy = (y - height / 2.0) / height;
        double blob = 0.35 * Math.exp(-(dx * dx + dy * dy) * 8);
        plane.data()[y * width + x] = (float) (0.2 + blob + 0.35 * random.nextDouble());
      }
    }
    return plane;
  }

  static double meanAbsoluteDifference(Plane a, Plane b) {
    double sum = 0;
    for (int i = 0; i < a.data().length; i++) {
      sum += Math.abs(a.data()[i] - b.data()[i]);
    }
    return sum / a.data().length;
  }

  private static Plane gradient(int width, int height, float from, float to) {
    Plane plane = Plane.blank(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        plane.data()[y * width + x] = from + (to - from) * x / Math.max(1, width - 1);
      }
    }
    return plane;
  }

  private static float range(Plane plane) {
    float min = 1;
    float max = 0;
    for (float v : plane.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min;
  }
}
