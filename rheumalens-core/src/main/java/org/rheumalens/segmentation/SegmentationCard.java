package org.rheumalens.segmentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * What a trained segmentation model is and how it came to be: enough to rebuild its network, feed it as in training,
 * repeat the run and judge it. Stored as {@value #FILE} beside the weights {@code <name>-0000.params}.
 *
 * @param kind always "segmentation", so a reader can tell this card from a grading model's
 * @param name the weights' file prefix
 * @param version which epoch and seed produced the weights
 * @param created when the weights were saved (ISO-8601)
 * @param classes class names by mask index, the background first
 * @param network the architecture
 * @param parameters trainable values in the network
 * @param inputSize the side of the square input the network was trained on
 * @param preprocessing the steps from a [0, 1] grey plane to the network input, and the loss trained on
 * @param config the training run's settings
 * @param seed the run's seed (as in the config; kept at the top for whoever repeats the run)
 * @param data sizes and SHA-256 fingerprints of the train and val samples
 * @param bestEpoch the epoch whose weights were kept: the best mean structure Dice on val
 * @param valMetrics the kept epoch's val metrics ({@link SegmentationMetrics#flat()})
 * @param history every epoch so far
 * @param trainingSeconds time spent training and validating
 * @param environment Java, DJL and engine versions, cores
 */
public record SegmentationCard(
    String kind,
    String name,
    String version,
    String created,
    List<String> classes,
    SegmentationNetworkSpec network,
    long parameters,
    int inputSize,
    List<String> preprocessing,
    SegmentationConfig config,
    long seed,
    Map<String, Object> data,
    int bestEpoch,
    Map<String, Double> valMetrics,
    List<SegmentationEpoch> history,
    double trainingSeconds,
    Map<String, String> environment) {

  public static final String KIND = "segmentation";
  public static final String FILE = "segmentation-card.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SegmentationCard {
    classes = List.copyOf(classes);
    history = List.copyOf(history);
  }

  /** This card at the end of the run: every epoch's record and the whole run's time. */
  public SegmentationCard finished(List<SegmentationEpoch> fullHistory, double seconds) {
    return new SegmentationCard(kind, name, version, created, classes, network, parameters, inputSize, preprocessing,
        config, seed, data, bestEpoch, valMetrics, fullHistory, seconds, environment);
  }

  /** Writes {@value #FILE} into {@code dir} atomically: a reader sees the old card or the new, never half of one. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path staging = dir.resolve(FILE + ".tmp");
    JSON.writeValue(staging.toFile(), this);
    Files.move(staging, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static SegmentationCard read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + FILE + " (not a RheumaLens segmentation model folder)");
    }
    SegmentationCard card = JSON.readValue(file.toFile(), SegmentationCard.class);
    if (!KIND.equals(card.kind())) {
      throw new IOException(file + " describes a " + card.kind() + " model, not a segmentation model");
    }
    return card;
  }
}
