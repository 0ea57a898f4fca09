package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a network from another model's weights ({@code --init-from}): every parameter whose name and shape match is
 * copied, the rest keep their fresh initialisation. The same task and network copy whole; another task (the knee
 * network as a start for an ultrasound task) takes the backbone and gets a new classifier for its own classes.
 */
public final class WeightTransfer {

  /** How many parameter arrays (and values) were copied, and how many kept their initialisation. */
  public record Report(String source, int copied, long copiedValues, int fresh, long freshValues) {
    public String describe() {
      return String.format(java.util.Locale.ROOT, "%d parameter arrays (%.2f M values) copied from %s, %d (%.3f M) "
          + "initialised afresh", copied, copiedValues / 1e6, source, fresh, freshValues / 1e6);
    }
  }

  private WeightTransfer() {}

  /** Copies matching parameters of the model in {@code sourceDir} into {@code target}, which must be initialised. */
  public static Report copy(Path sourceDir, Model target) throws IOException {
    ModelCard card = ModelCard.read(sourceDir);
    try (Model source = Model.newInstance(card.name(), Device.cpu())) {
      source.setBlock(ResidualNetwork.build(card.network()));
      GradingTrainer.loadWeights(source, sourceDir, card.name());
      Map<String, NDArray> byName = new HashMap<>();
      for (Pair<String, Parameter> p : source.getBlock().getParameters()) {
        byName.put(p.getKey(), p.getValue().getArray());
      }
      int copied = 0;
      int fresh = 0;
      long copiedValues = 0;
      long freshValues = 0;
      for (Pair<String, Parameter> p : target.getBlock().getParameters()) {
        NDArray to = p.getValue().getArray();
        NDArray from = byName.get(p.getKey());
        if (from != null && from.getShape().equals(to.getShape())) {
          to.set(from.toFloatArray());
          copied++;
          copiedValues += to.size();
        } else {
          fresh++;
          freshValues += to.size();
        }
      }
      if (copied == 0) {
        throw new IllegalArgumentException(sourceDir + ": no parameter of its network (" + card.network().family()
            + " " + card.network().widths() + ") fits this one; --init-from needs the same network family and widths");
      }
      return new Report(card.name() + " (" + card.taskId() + ")", copied, copiedValues, fresh, freshValues);
    }
  }
}
