package org.rheumalens.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.preprocess.Plane;

/**
 * The locator's search and its use of a verifier, on a drawn film: two knee-like patterns (condyles over a dark joint
 * line over a plateau) side by side, the left one cleaner so template matching prefers it.
 */
class KneeLocatorTest {

  private static final int KNEE = 120;
  private static final KneeBox LEFT_ON_IMAGE = new KneeBox(60, 90, KNEE);
  private static final KneeBox RIGHT_ON_IMAGE = new KneeBox(420, 100, KNEE);

  @Test
  void findsBothKneesAndNamesTheirSides() {
    List<KneeLocator.LocatedKnee> knees = locator().locate(film());

    assertThat(knees).hasSize(2);
    assertThat(knees.get(0).box().iou(LEFT_ON_IMAGE)).isGreaterThan(0.7);
    assertThat(knees.get(0).side()).isEqualTo(Side.RIGHT);
    assertThat(knees.get(1).box().iou(RIGHT_ON_IMAGE)).isGreaterThan(0.7);
    assertThat(knees.get(1).side()).isEqualTo(Side.LEFT);
  }

  @Test
  void aKneeTheVerifierRejectsIsPassedOverForTheNextBestMatch() {
    List<KneeBox> asked = new ArrayList<>();
    KneeLocator.KneeVerifier rejectsImageLeft = verifier(box -> box.centreX() < 320, asked);

    List<KneeLocator.LocatedKnee> knees = locator().locate(film(), rejectsImageLeft);

    // The better match (image left) was asked about and refused; its partner search finds it again, refused again.
    assertThat(asked.get(0).centreX()).isLessThan(320);
    assertThat(knees).hasSize(1);
    assertThat(knees.get(0).box().iou(RIGHT_ON_IMAGE)).isGreaterThan(0.7);
    assertThat(knees.get(0).side()).isEqualTo(Side.UNKNOWN);
  }

  @Test
  void whereTheVerifierTakesNothingTheBestMatchStands() {
    List<KneeLocator.LocatedKnee> knees = locator().locate(film(), verifier(box -> true, new ArrayList<>()));

    assertThat(knees).hasSize(1);
    assertThat(knees.get(0).box().iou(LEFT_ON_IMAGE)).isGreaterThan(0.7);
  }

  @Test
  void aBlankFilmHasNoKnees() {
    assertThat(locator().locate(new Plane(400, 300, new float[400 * 300]))).isEmpty();
  }

  /** Refuses the boxes {@code rejects} accepts; records each box asked about. */
  private static KneeLocator.KneeVerifier verifier(Predicate<KneeBox> rejects, List<KneeBox> asked) {
    return box -> {
      asked.add(box);
      return !rejects.test(box);
    };
  }

  private static KneeLocator locator() {
    return new KneeLocator(KneeTemplate.fit(List.of(knee(224, 1, 0, new SplittableRandom(1))), KneeTemplate.SIZE));
  }

  /** A dark film with the clean knee on the image's left and a fainter, noisier one on its right. */
  private static Plane film() {
    int w = 640;
    int h = 320;
    float[] d = new float[w * h];
    java.util.Arrays.fill(d, 0.05f);
    SplittableRandom random = new SplittableRandom(3);
    paste(d, w, knee(KNEE, 1, 0.02, random), LEFT_ON_IMAGE);
    paste(d, w, knee(KNEE, 0.7, 0.08, random), RIGHT_ON_IMAGE);
    return new Plane(w, h, d);
  }

  private static void paste(float[] d, int w, Plane knee, KneeBox at) {
    for (int y = 0; y < knee.height(); y++) {
      for (int x = 0; x < knee.width(); x++) {
        d[((int) at.y() + y) * w + (int) at.x() + x] = knee.at(x, y);
      }
    }
  }

  /** Two rounded condyles above a dark joint line, a plateau below, soft tissue at the sides. */
  private static Plane knee(int size, double contrast, double noise, SplittableRandom random) {
    float[] d = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = (x + 0.5) / size;
        double v = (y + 0.5) / size;
        double value = 0.2;
        if (v < 0.47) {
          double left = Math.hypot((u - 0.33) / 0.2, (v - 0.3) / 0.25);
          double right = Math.hypot((u - 0.67) / 0.2, (v - 0.3) / 0.25);
          value = Math.min(left, right) < 1 || (v < 0.25 && Math.abs(u - 0.5) < 0.3) ? 0.8 : 0.2;
        } else if (v > 0.53) {
          value = Math.abs(u - 0.5) < 0.4 - 0.2 * Math.max(0, v - 0.7) ? 0.75 : 0.2;
        }
        d[y * size + x] = (float) Math.max(0, Math.min(1, 0.05 + contrast * value + noise * random.nextGaussian()));
      }
    }
    return new Plane(size, size, d);
  }
}
