package org.rheumalens.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;
import org.rheumalens.preprocess.Plane;

/** Turns prepared planes into the network's input tensor: N x C x H x W, centred and scaled. */
public final class ModelInput {

  // CLAHE output has mean ~0.5 and spread ~0.25 on the training crops.
  private static final float MEAN = 0.5f;
  private static final float SCALE = 4f;

  private ModelInput() {}

  public static NDArray batch(NDManager manager, List<Plane> planes) {
    Plane first = planes.get(0);
    int pixels = first.width() * first.height() * first.channels();
    float[] data = new float[planes.size() * pixels];
    for (int i = 0; i < planes.size(); i++) {
      float[] src = planes.get(i).data();
      int offset = i * pixels;
      for (int p = 0; p < pixels; p++) {
        data[offset + p] = (src[p] - MEAN) * SCALE;
      }
    }
    return manager.create(FloatBuffer.wrap(data), new Shape(planes.size(), first.channels(), first.height(), first.width()));
  }
}
