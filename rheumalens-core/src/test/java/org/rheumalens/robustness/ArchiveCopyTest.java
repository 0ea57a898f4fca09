package org.rheumalens.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.robustness.ArchiveCopy.Difference;
import org.rheumalens.testing.SharedData;

/**
 * The simulated raw copies must look like the real ones the owners measured (REAL-RAW.md), and the enhanced crops
 * here must measure like the enhanced crops there, or the steadiness study measures the wrong thing.
 */
class ArchiveCopyTest {

  @Test
  void rawLookMatchesTheMeasuredRealRawCopies(@TempDir Path dir) throws Exception {
    List<Path> knees;
    try (Stream<Path> files = Files.walk(SharedData.kneeKl().resolve("val"))) {
      knees = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    List<ImageStatistics> enhanced = new ArrayList<>();
    List<ImageStatistics> raw = new ArrayList<>();
    for (int i = 0; i < knees.size(); i += knees.size() / 40) {
      Plane plane = SteadinessStudy.readGrey(knees.get(i));
      enhanced.add(ImageStatistics.of(plane.data(), plane.width(), plane.height()));
      Path copy = ArchiveCopy.write(plane, Difference.RAW_LOOK, dir, "k" + i, new SplittableRandom(i));
      Plane written = SteadinessStudy.readGrey(copy);
      raw.add(ImageStatistics.of(written.data(), written.width(), written.height()));
    }
    ImageStatistics e = ImageStatistics.median(enhanced);
    assertThat(e.mean()).isCloseTo(ImageStatistics.ENHANCED.mean(), within(5.0));
    assertThat(e.localContrast()).isCloseTo(ImageStatistics.ENHANCED.localContrast(), within(1.5));
    assertThat(e.gradient()).isCloseTo(ImageStatistics.ENHANCED.gradient(), within(1.0));

    ImageStatistics r = ImageStatistics.median(raw);
    ImageStatistics real = ImageStatistics.REAL_RAW;
    assertThat(r.mean()).as("%s", r).isCloseTo(real.mean(), within(5.0));
    assertThat(r.sd()).as("%s", r).isCloseTo(real.sd(), within(4.0));
    assertThat(r.p1()).as("%s", r).isCloseTo(real.p1(), within(10.0));
    assertThat(r.p99()).as("%s", r).isCloseTo(real.p99(), within(12.0));
    assertThat(r.localContrast()).as("%s", r).isCloseTo(real.localContrast(), within(1.0));
    assertThat(r.gradient()).as("%s", r).isCloseTo(real.gradient(), within(0.8));
  }

  /** A softer copy keeps the grey levels and loses fine detail: edges weaken more than the coarse contrast. */
  @Test
  void softenedCopyLosesFineDetailButKeepsTheGreyLevels(@TempDir Path dir) throws Exception {
    List<Path> knees;
    try (Stream<Path> files = Files.walk(SharedData.kneeKl().resolve("val"))) {
      knees = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    for (int i = 0; i < knees.size(); i += knees.size() / 8) {
      Plane plane = SteadinessStudy.readGrey(knees.get(i));
      ImageStatistics before = ImageStatistics.of(plane.data(), plane.width(), plane.height());
      Plane soft = SteadinessStudy.readGrey(ArchiveCopy.write(plane, Difference.SOFTENED, dir, "k" + i, new SplittableRandom(i)));
      ImageStatistics after = ImageStatistics.of(soft.data(), soft.width(), soft.height());
      assertThat(after.mean()).as("%s", knees.get(i)).isCloseTo(before.mean(), within(1.0));
      assertThat(after.gradient()).as("%s", knees.get(i)).isLessThan(0.85 * before.gradient());
      assertThat(after.gradient() / before.gradient()).as("%s", knees.get(i))
          .isLessThan(after.localContrast() / before.localContrast());
    }
  }

  @Test
  void everyDifferenceWritesAReadableCopyOfTheSameSize(@TempDir Path dir) throws Exception {
    float[] values = new float[64 * 48];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 64) / 63f;
    }
    Plane ramp = new Plane(64, 48, values);
    for (Difference d : Difference.values()) {
      Path copy = ArchiveCopy.write(ramp, d, dir.resolve(d.name()), "ramp", new SplittableRandom(3));
      Plane back = SteadinessStudy.readGrey(copy);
      assertThat(back.width()).as("%s", d).isEqualTo(64);
      assertThat(back.height()).as("%s", d).isEqualTo(48);
      double change = 0;
      for (int i = 0; i < values.length; i++) {
        change += Math.abs(back.data()[i] - values[i]);
      }
      assertThat(change / values.length).as("mean change by %s", d).isGreaterThan(0.0005).isLessThan(0.35);
    }
  }

  /** Training's archive augmentation must see exactly the copies the steadiness study writes and reads back. */
  @Test
  void theInMemoryCopyIsTheWrittenCopyAsTheReaderWindowsIt(@TempDir Path dir) throws Exception {
    float[] values = new float[96 * 80];
    SplittableRandom texture = new SplittableRandom(5);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (0.2 + 0.5 * (i % 96) / 95.0 + 0.2 * texture.nextDouble());
    }
    Plane knee = new Plane(96, 80, values);
    IntensityWindow window = IntensityWindow.standard();
    for (Difference d : Difference.values()) {
      for (int seed = 0; seed < 4; seed++) {
        Plane written = window.stretch(SteadinessStudy.readGrey(
            ArchiveCopy.write(knee, d, dir.resolve(d.name()), "k" + seed, new SplittableRandom(seed))));
        Plane inMemory = window.stretch(ArchiveCopy.inMemory(knee, d, new SplittableRandom(seed)));
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
          worst = Math.max(worst, Math.abs(written.data()[i] - inMemory.data()[i]));
        }
        assertThat(worst).as("%s, seed %d", d, seed).isLessThan(1e-4);
      }
    }
  }

  @Test
  void theAugmentationLeavesTheUnchosenShareUntouched() {
    Plane plane = new Plane(2, 1, new float[] {0.25f, 0.75f});
    assertThat(new RandomArchiveCopy(0).apply(plane, new SplittableRandom(1))).isSameAs(plane);
    assertThat(new RandomArchiveCopy(1).apply(plane, new SplittableRandom(1))).isNotSameAs(plane);
  }
}
