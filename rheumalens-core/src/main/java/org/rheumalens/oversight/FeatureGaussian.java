package org.rheumalens.oversight;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rheumalens.io.NpyFile;

/**
 * A density model of the classifier's pooled features on the training images: one Gaussian per grade with a shared,
 * shrunk covariance. The out-of-distribution score of an input is its smallest squared Mahalanobis distance to a grade
 * mean (Lee et al. 2018); inputs unlike anything the model was trained on land far from every mean.
 */
public final class FeatureGaussian {

  /** Share of the covariance replaced by its average variance times identity: keeps the inverse stable. */
  static final double SHRINKAGE = 0.1;

  private final float[][] means;
  private final double[][] precision;

  private FeatureGaussian(float[][] means, double[][] precision) {
    this.means = means;
    this.precision = precision;
  }

  /** Fits class means and the pooled within-class covariance; grades with no images are left out. */
  public static FeatureGaussian fit(List<float[]> features, int[] grades, int classes) {
    int d = features.get(0).length;
    double[][] sums = new double[classes][d];
    int[] counts = new int[classes];
    for (int i = 0; i < features.size(); i++) {
      counts[grades[i]]++;
      for (int j = 0; j < d; j++) {
        sums[grades[i]][j] += features.get(i)[j];
      }
    }
    int present = (int) java.util.Arrays.stream(counts).filter(c -> c > 0).count();
    float[][] means = new float[present][d];
    int[] slot = new int[classes];
    int next = 0;
    for (int k = 0; k < classes; k++) {
      slot[k] = counts[k] > 0 ? next : -1;
      if (counts[k] > 0) {
        for (int j = 0; j < d; j++) {
          means[next][j] = (float) (sums[k][j] / counts[k]);
        }
        next++;
      }
    }
    double[][] covariance = new double[d][d];
    double[] centred = new double[d];
    for (int i = 0; i < features.size(); i++) {
      float[] mean = means[slot[grades[i]]];
      for (int j = 0; j < d; j++) {
        centred[j] = features.get(i)[j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double ca = centred[a];
        double[] row = covariance[a];
        for (int b = a; b < d; b++) {
          row[b] += ca * centred[b];
        }
      }
    }
    double trace = 0;
    int dof = Math.max(1, features.size() - present);
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        covariance[a][b] /= dof;
        covariance[b][a] = covariance[a][b];
      }
      trace += covariance[a][a];
    }
    double floor = Math.max(trace / d, 1e-8);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        covariance[a][b] *= 1 - SHRINKAGE;
      }
      covariance[a][a] += SHRINKAGE * floor;
    }
    return new FeatureGaussian(means, SymmetricMatrix.inverse(covariance));
  }

  /** Smallest squared Mahalanobis distance from {@code feature} to any grade mean. */
  public double score(float[] feature) {
    int d = precision.length;
    if (feature.length != d) {
      throw new IllegalArgumentException("feature has " + feature.length + " values, the gate was fitted on " + d);
    }
    double best = Double.POSITIVE_INFINITY;
    double[] diff = new double[d];
    for (float[] mean : means) {
      for (int j = 0; j < d; j++) {
        diff[j] = feature[j] - mean[j];
      }
      double q = 0;
      for (int a = 0; a < d; a++) {
        double[] row = precision[a];
        double s = 0;
        for (int b = 0; b < d; b++) {
          s += row[b] * diff[b];
        }
        q += diff[a] * s;
      }
      best = Math.min(best, q);
    }
    return best;
  }

  public int dimensions() {
    return precision.length;
  }

  /** Writes {@code <prefix>-means.npy} and {@code <prefix>-precision.npy}. */
  public void write(Path dir, String prefix) throws IOException {
    int d = precision.length;
    float[] flatMeans = new float[means.length * d];
    for (int k = 0; k < means.length; k++) {
      System.arraycopy(means[k], 0, flatMeans, k * d, d);
    }
    float[] flatPrecision = new float[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        flatPrecision[a * d + b] = (float) precision[a][b];
      }
    }
    NpyFile.write(dir.resolve(prefix + "-means.npy"), new int[] {means.length, d}, flatMeans);
    NpyFile.write(dir.resolve(prefix + "-precision.npy"), new int[] {d, d}, flatPrecision);
  }

  public static FeatureGaussian read(Path dir, String prefix) throws IOException {
    NpyFile.Array m = NpyFile.read(dir.resolve(prefix + "-means.npy"));
    NpyFile.Array p = NpyFile.read(dir.resolve(prefix + "-precision.npy"));
    int d = p.shape()[0];
    if (m.shape().length != 2 || m.shape()[1] != d || p.shape().length != 2 || p.shape()[1] != d) {
      throw new IOException(dir + ": OOD gate files have mismatched shapes");
    }
    float[][] means = new float[m.shape()[0]][d];
    for (int k = 0; k < means.length; k++) {
      System.arraycopy(m.data(), k * d, means[k], 0, d);
    }
    double[][] precision = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        precision[a][b] = p.data()[a * d + b];
      }
    }
    return new FeatureGaussian(means, precision);
  }
}
