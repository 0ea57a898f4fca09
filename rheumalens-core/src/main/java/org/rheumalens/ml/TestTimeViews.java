package org.rheumalens.ml;

import java.util.ArrayList;
import java.util.List;
import org.rheumalens.preprocess.Plane;

/**
 * The fixed views of a model input that test-time averaging looks at besides the input itself: first the mirror, then
 * the crop shifted by 3 pixels (about 1.3% of 224) or scaled by 4%, alternately mirrored. Fixed rather than random so
 * that a grade is reproducible, and small because archives frame the same knee within a few pixels of each other.
 */
public final class TestTimeViews {

  /** flip, scale, shift x, shift y (pixels at 224; scaled with the input size). */
  private static final double[][] VIEWS = {
      {0, 1.00, 3, 3}, {1, 1.00, -3, -3}, {0, 1.04, 0, 0}, {1, 0.96, 0, 0}, {0, 1.00, -3, 3}, {1, 1.00, 3, -3}};

  /** The most further views a policy may ask for. */
  public static final int MAX = VIEWS.length;

  private TestTimeViews() {
  }

  /** The mirror of {@code plane} followed by its first {@code count} further views. */
  public static List<Plane> of(Plane plane, int count) {
    List<Plane> views = new ArrayList<>(1 + count);
    views.add(plane.mirrored());
    double pixels = plane.width() / 224.0;
    for (int k = 0; k < count; k++) {
      double[] v = VIEWS[k];
      views.add(plane.warped(0, v[1], v[2] * pixels, v[3] * pixels, v[0] == 1));
    }
    return views;
  }

  /** The element-wise mean of the outputs' logits. */
  static float[] meanLogits(List<NetworkOutput> outputs) {
    if (outputs.size() == 1) {
      return outputs.get(0).logits();
    }
    float[] mean = new float[outputs.get(0).logits().length];
    for (NetworkOutput out : outputs) {
      float[] logits = out.logits();
      for (int j = 0; j < mean.length; j++) {
        mean[j] += logits[j] / outputs.size();
      }
    }
    return mean;
  }
}
