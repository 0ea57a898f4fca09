package org.rheumalens.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.sampling.Permutation;

/**
 * Two regularisers of an ordinal grader's training batch, both on soft targets.
 *
 * <p>Neighbour smoothing moves a share of each grade's target mass to the adjacent grades: readers themselves
 * disagree by one KL grade (kappa 0.5-0.8), so a KL1 labelled knee is told "probably KL1, possibly KL0 or KL2"
 * rather than "certainly KL1, never KL0", and the network is not pushed to extreme confidence at the boundaries where
 * two copies of a knee tip over.
 *
 * <p>Mixup (Zhang et al. 2018) blends each image with another of the batch, pixel by pixel, and blends their targets
 * in the same proportion. The image's own share is drawn from Beta(alpha, alpha) and kept at 0.5 or more, so each
 * image stays the larger part of its blend.
 */
public final class TargetShaping {

  private TargetShaping() {}

  /** A one-hot target for {@code grade} over {@code classes}. */
  static float[] oneHot(int grade, int classes) {
    float[] target = new float[classes];
    target[grade] = 1;
    return target;
  }

  /**
   * {@code target} with {@code share} of each grade's mass moved to its neighbours (half to each; all to the one
   * neighbour at either end of the scale). Total mass is kept.
   */
  static float[] neighbourSmoothed(float[] target, double share) {
    if (share < 0 || share >= 1) {
      throw new IllegalArgumentException("neighbour smoothing must be in [0, 1), not " + share);
    }
    int classes = target.length;
    if (share == 0 || classes < 2) {
      return target.clone();
    }
    float[] smoothed = new float[classes];
    for (int k = 0; k < classes; k++) {
      float moved = (float) (target[k] * share);
      smoothed[k] += target[k] - moved;
      if (k == 0) {
        smoothed[1] += moved;
      } else if (k == classes - 1) {
        smoothed[k - 1] += moved;
      } else {
        smoothed[k - 1] += moved / 2;
        smoothed[k + 1] += moved / 2;
      }
    }
    return smoothed;
  }

  /** A mixed batch: the blended images and their blended targets, in the batch's order. */
  record Mixed(List<Plane> planes, float[][] targets) {}

  /**
   * Blends every image of the batch with a partner drawn from the same batch (a random permutation), targets
   * alike. The inputs are not changed.
   */
  static Mixed mixup(List<Plane> planes, float[][] targets, double alpha, SplittableRandom random) {
    return MixPlan.draw(planes.size(), alpha, random).apply(planes, targets);
  }

  /**
   * Who each image of a batch is blended with and its own share: drawn once, so that a consistency batch blends a
   * crop and its archive copy with the same partner in the same proportion.
   */
  record MixPlan(int[] partner, double[] own) {

    /** A random partner (a permutation of the batch) and an own share from Beta(alpha, alpha), kept at 0.5 or more. */
    static MixPlan draw(int n, double alpha, SplittableRandom random) {
      if (!(alpha > 0)) {
        throw new IllegalArgumentException("mixup needs alpha > 0, not " + alpha);
      }
      int[] partner = Permutation.shuffled(n, random);
      double[] own = new double[n];
      for (int i = 0; i < n; i++) {
        double share = beta(alpha, random);
        own[i] = Math.max(share, 1 - share);
      }
      return new MixPlan(partner, own);
    }

    /** The blended batch; the inputs are not changed. */
    Mixed apply(List<Plane> planes, float[][] targets) {
      int n = planes.size();
      if (n != partner.length) {
        throw new IllegalArgumentException("the mix plan is for " + partner.length + " images, not " + n);
      }
      Plane first = planes.get(0);
      for (Plane plane : planes) {
        if (plane.width() != first.width() || plane.height() != first.height() || plane.channels() != first.channels()) {
          throw new IllegalArgumentException("mixup needs images of one size; got " + first.width() + "x"
              + first.height() + " and " + plane.width() + "x" + plane.height());
        }
      }
      List<Plane> mixedPlanes = new ArrayList<>(n);
      float[][] mixedTargets = new float[n][];
      for (int i = 0; i < n; i++) {
        Plane a = planes.get(i);
        Plane b = planes.get(partner[i]);
        float[] pixels = new float[a.data().length];
        for (int p = 0; p < pixels.length; p++) {
          pixels[p] = (float) (own[i] * a.data()[p] + (1 - own[i]) * b.data()[p]);
        }
        mixedPlanes.add(new Plane(a.width(), a.height(), a.channels(), pixels));
        float[] target = new float[targets[i].length];
        for (int k = 0; k < target.length; k++) {
          target[k] = (float) (own[i] * targets[i][k] + (1 - own[i]) * targets[partner[i]][k]);
        }
        mixedTargets[i] = target;
      }
      return new Mixed(mixedPlanes, mixedTargets);
    }
  }

  /** A Beta(alpha, alpha) draw, as the ratio of two gamma draws. */
  static double beta(double alpha, SplittableRandom random) {
    double x = gamma(alpha, random);
    double y = gamma(alpha, random);
    return x + y == 0 ? 0.5 : x / (x + y);
  }

  /** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shapes below 1 boosted by U^(1/shape)). */
  static double gamma(double shape, SplittableRandom random) {
    if (shape < 1) {
      return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(random);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; 1 - nextDouble() is in (0, 1], so the logarithm is finite.
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
