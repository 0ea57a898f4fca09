package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.training.WeightFiles;

/**
 * Stochastic weight averaging over the tail of a run: the weights of several late epochs, averaged parameter by
 * parameter, sit nearer the middle of the low-loss region the optimiser wanders through than any one epoch does, which
 * usually generalises a little better at no cost at inference (still one network). Every epoch from a chosen one on is
 * kept beside the checkpoint; at the end the kept weights are averaged and the batch-norm statistics, which do not
 * average meaningfully, are measured again by running training batches through the averaged network.
 */
final class WeightAveraging {

  static final String FOLDER = "epochs";
  /** Training batches whose statistics replace the running ones; at momentum 0.9 the start is forgotten after ~60. */
  static final int BATCH_NORM_BATCHES = 100;

  private WeightAveraging() {}

  /** The name under which {@code epoch}'s weights are kept. */
  static String name(int epoch) {
    return String.format(Locale.ROOT, "epoch-%02d", epoch);
  }

  /** Keeps {@code model}'s current weights as epoch {@code epoch}'s, in {@code checkpointDir/epochs}. */
  static void keep(Model model, Path checkpointDir, int epoch) throws IOException {
    GradingTrainer.saveWeights(model, checkpointDir.resolve(FOLDER), name(epoch));
  }

  /** The epochs from {@code from} to {@code to} whose weights were kept. */
  static List<Integer> kept(Path checkpointDir, int from, int to) {
    List<Integer> epochs = new ArrayList<>();
    for (int epoch = from; epoch <= to; epoch++) {
      if (Files.exists(WeightFiles.file(checkpointDir.resolve(FOLDER), name(epoch)))) {
        epochs.add(epoch);
      }
    }
    return epochs;
  }

  /**
   * Sets every parameter of {@code target} (same network) to its mean over the kept {@code epochs}; batch-norm running
   * statistics included, as a starting point for {@link #recomputeBatchNorm}.
   */
  static void average(Model target, NetworkSpec network, Path checkpointDir, List<Integer> epochs) throws IOException {
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("no kept epochs to average");
    }
    List<Source> sources = epochs.stream()
        .map(epoch -> new Source(checkpointDir.resolve(FOLDER), name(epoch), 1.0 / epochs.size())).toList();
    combine(target, network, sources);
  }

  /** Weights saved as {@code dir/prefix-0000.params}, counted with {@code share} in a weighted mean. */
  record Source(Path dir, String prefix, double share) {}

  /**
   * Sets every parameter of {@code target} (same network) to the share-weighted sum of the sources' (shares summing
   * to 1); batch-norm running statistics included, as a starting point for {@link #recomputeBatchNorm}.
   */
  static void combine(Model target, NetworkSpec network, List<Source> sources) throws IOException {
    double total = sources.stream().mapToDouble(Source::share).sum();
    if (sources.isEmpty() || Math.abs(total - 1) > 1e-6) {
      throw new IllegalArgumentException("weights need sources whose shares sum to 1, not " + total);
    }
    List<Pair<String, Parameter>> parameters = target.getBlock().getParameters().stream().toList();
    double[][] sums = new double[parameters.size()][];
    for (Source source : sources) {
      try (Model one = Model.newInstance("source", Device.cpu())) {
        one.setBlock(ResidualNetwork.build(network));
        GradingTrainer.loadWeights(one, source.dir(), source.prefix());
        List<Pair<String, Parameter>> loaded = one.getBlock().getParameters().stream().toList();
        for (int p = 0; p < parameters.size(); p++) {
          if (!loaded.get(p).getKey().equals(parameters.get(p).getKey())) {
            throw new IllegalStateException(source.dir().resolve(source.prefix()) + " has parameter "
                + loaded.get(p).getKey() + " where " + parameters.get(p).getKey() + " was expected");
          }
          float[] values = loaded.get(p).getValue().getArray().toFloatArray();
          if (sums[p] == null) {
            sums[p] = new double[values.length];
          }
          for (int i = 0; i < values.length; i++) {
            sums[p][i] += source.share() * values[i];
          }
        }
      }
    }
    GradingModel.withoutAutograd(() -> {
      for (int p = 0; p < parameters.size(); p++) {
        float[] mean = new float[sums[p].length];
        for (int i = 0; i < mean.length; i++) {
          mean[i] = (float) sums[p][i];
        }
        parameters.get(p).getValue().getArray().set(FloatBuffer.wrap(mean));
      }
      return null;
    });
  }

  /**
   * Measures the batch-norm running statistics again: each batch goes through the network in training mode (which
   * updates them, with no gradients kept). Returns the largest change of any running mean, for the log.
   */
  static double recomputeBatchNorm(Model model, Iterable<List<Plane>> batches) {
    List<NDArray> means = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN) {
        means.add(p.getValue().getArray());
      }
    }
    List<float[]> before = means.stream().map(NDArray::toFloatArray).toList();
    ParameterStore store = new ParameterStore(model.getNDManager(), false);
    GradingModel.withoutAutograd(() -> {
      for (List<Plane> batch : batches) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
          model.getBlock().forward(store, new NDList(ModelInput.batch(manager, batch)), true);
        }
      }
      return null;
    });
    double largest = 0;
    for (int m = 0; m < means.size(); m++) {
      float[] after = means.get(m).toFloatArray();
      for (int i = 0; i < after.length; i++) {
        largest = Math.max(largest, Math.abs(after[i] - before.get(m)[i]));
      }
    }
    return largest;
  }
}
