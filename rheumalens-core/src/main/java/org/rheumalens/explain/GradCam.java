package org.rheumalens.explain;

import org.rheumalens.ml.FeatureMaps;

/**
 * Grad-CAM (Selvaraju et al. 2017): weight each last-stage feature map by the spatial mean of the grade logit's
 * gradient, sum, and keep the positive part: where the network saw evidence for that grade.
 */
public final class GradCam {

  public static final String METHOD = "gradcam";

  private GradCam() {}

  /** The map at feature resolution, resized to {@code width x height} (the model input). */
  public static Heatmap of(FeatureMaps maps, int width, int height) {
    int cells = maps.height() * maps.width();
    float[] cam = new float[cells];
    for (int c = 0; c < maps.channels(); c++) {
      int offset = c * cells;
      double weight = 0;
      for (int i = 0; i < cells; i++) {
        weight += maps.gradients()[offset + i];
      }
      weight /= cells;
      for (int i = 0; i < cells; i++) {
        cam[i] += (float) (weight * maps.activations()[offset + i]);
      }
    }
    for (int i = 0; i < cells; i++) {
      cam[i] = Math.max(0f, cam[i]);
    }
    return new Heatmap(METHOD, maps.targetGrade(), maps.width(), maps.height(), cam).resized(width, height);
  }
}
