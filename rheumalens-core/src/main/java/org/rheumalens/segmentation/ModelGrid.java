package org.rheumalens.segmentation;

import org.rheumalens.tasks.GradingTask;

/**
 * Where a model-input pixel lies in its source image: the task's geometry (centre square, or letterbox with the image
 * centred in padding) undone. Shared by the mask resampling of training and the regions found at inference.
 *
 * @param scale source pixels per model pixel
 * @param offsetX source column of the model grid's left edge (negative where letterbox padding lies left of the image)
 * @param offsetY source row of the model grid's top edge
 */
public record ModelGrid(double scale, double offsetX, double offsetY) {

  public static ModelGrid of(GradingTask task, int width, int height) {
    int size = task.inputSize();
    boolean crop = "centre-square".equals(task.definition().geometry());
    int side = crop ? Math.min(width, height) : Math.max(width, height);
    double scale = side / (double) size;
    return crop
        ? new ModelGrid(scale, (width - side) / 2.0, (height - side) / 2.0)
        : new ModelGrid(scale, -(size - width / scale) / 2.0 * scale, -(size - height / scale) / 2.0 * scale);
  }

  /** The source column under the centre of model column {@code x}. */
  public double sourceX(double x) {
    return offsetX + (x + 0.5) * scale;
  }

  /** The source row under the centre of model row {@code y}. */
  public double sourceY(double y) {
    return offsetY + (y + 0.5) * scale;
  }
}
