package org.rheumalens.oversight;

import java.util.BitSet;
import org.rheumalens.preprocess.Plane;

/**
 * Simple, explainable image-quality measures of a windowed, model-sized radiograph (before contrast enhancement):
 * what a reader would call washed out, posterised, blurred or too small.
 *
 * @param contrast standard deviation of intensities in [0, 1]
 * @param levels distinct 8-bit grey levels
 * @param sharpness mean absolute 4-neighbour Laplacian (higher is sharper)
 * @param upscale how many times the source was enlarged to reach model size (1 or less: no enlargement)
 */
public record ImageQuality(double contrast, int levels, double sharpness, double upscale) {

  public static ImageQuality measure(Plane windowed, int sourceWidth, int sourceHeight) {
    // A colour input is judged on the mean of its channels: blur and posterisation show in every channel.
    Plane grey = windowed.grey();
    float[] v = grey.data();
    double sum = 0;
    double sumSq = 0;
    BitSet levels = new BitSet(256);
    for (float x : v) {
      sum += x;
      sumSq += x * x;
      levels.set(Math.round(Math.max(0f, Math.min(1f, x)) * 255f));
    }
    double mean = sum / v.length;
    double contrast = Math.sqrt(Math.max(0, sumSq / v.length - mean * mean));
    int w = windowed.width();
    int h = windowed.height();
    double laplacian = 0;
    int count = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        laplacian += Math.abs(4 * v[i] - v[i - 1] - v[i + 1] - v[i - w] - v[i + w]);
        count++;
      }
    }
    double upscale = Math.max(w, h) / (double) Math.min(sourceWidth, sourceHeight);
    return new ImageQuality(contrast, levels.cardinality(), count == 0 ? 0 : laplacian / count, upscale);
  }
}
