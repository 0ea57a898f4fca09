package org.rheumalens.ml;

/**
 * The last convolutional stage's activations for one image and the gradient of one grade's logit with respect to
 * them: everything Grad-CAM needs. Arrays are channel-major, {@code channels x height x width}.
 */
public record FeatureMaps(int targetGrade, int channels, int height, int width, float[] activations, float[] gradients) {

  public FeatureMaps {
    int size = channels * height * width;
    if (activations.length != size || gradients.length != size) {
      throw new IllegalArgumentException("feature maps need " + size + " values per array");
    }
  }
}
