package org.rheumalens.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;
import org.rheumalens.preprocess.Plane;

/**
 * Turns planes into a segmentation network's input, N x 1 x S x S, each image standardised on its own (zero mean,
 * unit variance): an ultrasound gain or an exposure change then moves no input, and the network sees structures by
 * their contrast to their surroundings. Training and inference both go through here.
 */
final class SegmentationInput {

  /** How the card describes this step. */
  static final String DESCRIPTION = "per-image standardisation: (x - mean) / max(sd, 1e-3) of the [0, 1] grey plane";
  private static final double MIN_SD = 1e-3;

  private SegmentationInput() {}

  static NDArray batch(NDManager manager, List<Plane> planes) {
    Plane first = planes.get(0);
    int pixels = first.width() * first.height();
    float[] data = new float[planes.size() * pixels];
    for (int i = 0; i < planes.size(); i++) {
      Plane plane = planes.get(i);
      if (plane.width() != first.width() || plane.height() != first.height()) {
        throw new IllegalArgumentException("a batch needs planes of one size: " + first.width() + "x" + first.height()
            + " and " + plane.width() + "x" + plane.height());
      }
      float[] src = plane.data();
      double sum = 0;
      double sumSquares = 0;
      for (float v : src) {
        sum += v;
        sumSquares += (double) v * v;
      }
      double mean = sum / pixels;
      double sd = Math.max(MIN_SD, Math.sqrt(Math.max(0, sumSquares / pixels - mean * mean)));
      int offset = i * pixels;
      for (int p = 0; p < pixels; p++) {
        data[offset + p] = (float) ((src[p] - mean) / sd);
      }
    }
    return manager.create(FloatBuffer.wrap(data), new Shape(planes.size(), 1, first.height(), first.width()));
  }
}
