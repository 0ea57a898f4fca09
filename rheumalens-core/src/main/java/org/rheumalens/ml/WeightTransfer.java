package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a network from another model's weights ({@code --init-from}): every parameter whose name and shape match is
 * copied, the rest keep their fresh initialisation. The same task and network copy whole; another task (the knee
 * network as a start for an ultrasound task) takes the backbone and gets a new classifier for its own classes. A grey
 * network's first convolution starts a colour network spread over its channels, each a third of the grey weight: on a
 * grey image (three equal channels) it then responds exactly as the grey network did.
 */
public final class WeightTransfer {

  /**
   * How many parameter arrays (and values) were copied, and how many kept their initialisation; {@code spread} names
   * the grey convolutions copied over more input channels (counted as copied).
   */
  public record Report(String source, int copied, long copiedValues, int fresh, long freshValues, List<String> spread) {
    public String describe() {
      return String.format(java.util.Locale.ROOT, "%d parameter arrays (%.2f M values) copied from %s, %d (%.3f M) "
          + "initialised afresh", copied, copiedValues / 1e6, source, fresh, freshValues / 1e6)
          + (spread.isEmpty() ? "" : "; grey weights spread over the input channels, each divided by their count: "
              + String.join(", ", spread));
    }
  }

  private WeightTransfer() {}

  /** A convolution kernel of one input channel (out x 1 x k x k) and the same kernel over more (out x c x k x k). */
  static boolean greyToColour(Shape from, Shape to) {
    return from.dimension() == 4 && to.dimension() == 4 && from.get(1) == 1 && to.get(1) > 1
        && from.get(0) == to.get(0) && from.get(2) == to.get(2) && from.get(3) == to.get(3);
  }

  /**
   * Kernels of shape filters x 1 x k x k ({@code kernelValues} = k * k) repeated for each of {@code channels} inputs,
   * divided by their count: filters x channels x k x k.
   */
  static float[] spread(float[] grey, int channels, int kernelValues) {
    float[] out = new float[grey.length * channels];
    for (int filter = 0; filter < grey.length / kernelValues; filter++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < kernelValues; i++) {
          out[(filter * channels + c) * kernelValues + i] = grey[filter * kernelValues + i] / channels;
        }
      }
    }
    return out;
  }

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
      List<String> spread = new ArrayList<>();
      for (Pair<String, Parameter> p : target.getBlock().getParameters()) {
        NDArray to = p.getValue().getArray();
        NDArray from = byName.get(p.getKey());
        if (from != null && from.getShape().equals(to.getShape())) {
          to.set(from.toFloatArray());
          copied++;
          copiedValues += to.size();
        } else if (from != null && greyToColour(from.getShape(), to.getShape())) {
          Shape shape = to.getShape();
          to.set(spread(from.toFloatArray(), (int) shape.get(1), (int) (shape.get(2) * shape.get(3))));
          spread.add(p.getKey());
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
      return new Report(card.name() + " (" + card.taskId() + ")", copied, copiedValues, fresh, freshValues,
          List.copyOf(spread));
    }
  }
}
