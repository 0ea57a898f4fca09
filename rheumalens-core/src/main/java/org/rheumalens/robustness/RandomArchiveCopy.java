package org.rheumalens.robustness;

import java.util.Locale;
import java.util.random.RandomGenerator;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.PlaneTransform;

/**
 * Training augmentation: with probability {@code probability} a crop becomes another archive's copy ({@link
 * ArchiveCopy.Difference#ARCHIVE_COPY}, stored in memory) and is then windowed to its percentiles as the reader windows
 * a file without a VOI window. The network so sees, during training, the copies the steadiness study grades.
 */
public final class RandomArchiveCopy implements PlaneTransform {

  private final double probability;
  private final IntensityWindow window = IntensityWindow.standard();

  public RandomArchiveCopy(double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], not " + probability);
    }
    this.probability = probability;
  }

  /** Half the crops, as {@code train --archive-augmentation} uses. */
  public static RandomArchiveCopy standard() {
    return new RandomArchiveCopy(0.5);
  }

  public String describe() {
    return String.format(Locale.ROOT, "archive-copy(p=%.2f: raw look, crop jitter, sharpening or softening, noise, window, "
        + "JPEG or 10-16 bits)", probability);
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    if (random.nextDouble() >= probability) {
      return plane;
    }
    return window.stretch(ArchiveCopy.inMemory(plane, ArchiveCopy.Difference.ARCHIVE_COPY, random));
  }
}
