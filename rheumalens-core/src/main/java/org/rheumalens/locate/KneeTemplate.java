package org.rheumalens.locate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rheumalens.io.NpyFile;
import org.rheumalens.preprocess.Plane;

/**
 * What a knee crop looks like on average, for finding knees in whole radiographs: the mean of the training crops,
 * each shrunk to {@code size}x{@code size} and locally contrast-normalised ({@link LocalContrast}), so the template
 * holds the shape (condyles, joint space, plateau, soft-tissue edges) and not any one image's contrast processing.
 */
public record KneeTemplate(int size, float[] values) {

  public static final String FILE = "knee-template.npy";
  /** Side of the bundled template: a knee shrunk to 48 pixels still shows condyles, joint space and plateau. */
  public static final int SIZE = 48;

  public KneeTemplate {
    if (values.length != size * size) {
      throw new IllegalArgumentException("template of " + values.length + " values is not " + size + "x" + size);
    }
  }

  /** Averages {@code crops} (model-sized planes, joint centred as in training). */
  public static KneeTemplate fit(List<Plane> crops, int size) {
    if (crops.isEmpty()) {
      throw new IllegalArgumentException("no crops to fit a knee template on");
    }
    double[] sum = new double[size * size];
    for (Plane crop : crops) {
      Plane small = LocalContrast.normalise(Resampling.area(crop, size, size), size);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += small.data()[i];
      }
    }
    float[] mean = new float[sum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (sum[i] / crops.size());
    }
    return new KneeTemplate(size, mean);
  }

  public void write(Path dir) throws IOException {
    NpyFile.write(dir.resolve(FILE), new int[] {size, size}, values);
  }

  public static KneeTemplate read(Path dir) throws IOException {
    NpyFile.Array array = NpyFile.read(dir.resolve(FILE));
    if (array.shape().length != 2 || array.shape()[0] != array.shape()[1]) {
      throw new IOException(dir.resolve(FILE) + " is not a square template");
    }
    return new KneeTemplate(array.shape()[0], array.data());
  }
}
