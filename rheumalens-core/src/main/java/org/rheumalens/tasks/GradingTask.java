package org.rheumalens.tasks;

import java.util.List;
import java.util.stream.Stream;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;

/**
 * A clinical task ready to run: its {@link TaskDefinition} (what a user wrote or a built-in file says) with the
 * preprocessing built from it, shared by training and inference. A new task is a new definition, not a new pipeline;
 * {@link TaskBuilder} fills in the defaults.
 *
 * @param definition the task as written down, with defaults made explicit where later readers need them
 * @param geometry raw plane to model-sized plane (crop or letterbox, resize); its output is what training caches
 * @param normalisations the ways a model-sized plane can become model input, by id, the task's default first; a model
 *     card names the one its network was trained with, and inference must use that same one
 * @param augmentation random training-time transforms, between geometry and normalisation
 */
public record GradingTask(
    TaskDefinition definition, Pipeline geometry, List<Normalisation> normalisations, Pipeline augmentation) {

  /** One named normalisation: model-sized plane to model input; runs after augmentation in training. */
  public record Normalisation(String id, Pipeline pipeline) {}

  /** The plug-in id of knee tasks: whole-radiograph locator, joint space width and laterality. */
  public static final String KNEE_PLUGIN = "knee";

  public GradingTask {
    normalisations = List.copyOf(normalisations);
    if (normalisations.isEmpty()) {
      throw new IllegalArgumentException("task " + definition.id() + " needs at least one normalisation");
    }
  }

  public String id() {
    return definition.id();
  }

  public String title() {
    return definition.title();
  }

  /** What an input must show, in words for a refusal ("knee radiograph"). */
  public String subject() {
    return definition.subject();
  }

  /** The primary output's labels in order (ordinal tasks: lowest first). */
  public List<String> grades() {
    return definition.primary().classes();
  }

  public int classes() {
    return grades().size();
  }

  public TaskDefinition.Output primary() {
    return definition.primary();
  }

  /** The outputs after the primary one, read off the same backbone by heads of their own. */
  public List<TaskDefinition.Output> secondary() {
    return definition.outputs().subList(1, definition.outputs().size());
  }

  /** Units of the network's last layer: the primary output's classes, then each secondary output's units in order. */
  public int headUnits() {
    return definition.outputs().stream().mapToInt(TaskDefinition::units).sum();
  }

  /** Model input is inputSize x inputSize. */
  public int inputSize() {
    return definition.input() == null ? 224 : definition.input().sizeOrDefault();
  }

  /** Whether each graded input also gets its minimum joint space widths, side and knee locator (knee tasks). */
  public boolean measuresJointSpace() {
    return definition.pluginsOrNone().contains(KNEE_PLUGIN);
  }

  /** Channels of the model input: 1 (grey) or 3 (R, G, B). */
  public int inputChannels() {
    return definition.input() == null ? 1 : definition.input().channelsOrDefault();
  }

  /** How the reader treats truly colour images for this task (grey stored as colour is always read). */
  public ColourHandling colourHandling() {
    return switch (definition.colour() == null ? "refuse" : definition.colour()) {
      case "to-grey" -> ColourHandling.TO_GREY;
      case "keep" -> ColourHandling.KEEP;
      default -> ColourHandling.REFUSE;
    };
  }

  /** The task's default normalisation: what models whose card names none were trained with. */
  public Normalisation defaultNormalisation() {
    return normalisations.get(0);
  }

  /** The normalisation with this id; null means the default. Unknown ids are refused, naming the known ones. */
  public Normalisation normalisation(String normalisationId) {
    if (normalisationId == null) {
      return defaultNormalisation();
    }
    return normalisations.stream()
        .filter(n -> n.id().equals(normalisationId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("task " + id() + " has no normalisation '" + normalisationId
            + "'; known: " + normalisations.stream().map(Normalisation::id).toList()));
  }

  /** Full inference preprocessing with the default normalisation: window, geometry, normalisation. */
  public Plane prepare(Radiograph image) {
    return defaultNormalisation().pipeline().apply(prepareGeometry(image), null);
  }

  /**
   * Source pixels per model-input pixel along a row: the centre square, or the longer side when letterboxed, over the
   * input size. Multiplied by the file's pixel spacing it gives millimetres per model pixel.
   */
  public double sourcePixelsPerInputPixel(Radiograph image) {
    int side = "centre-square".equals(definition.geometry())
        ? Math.min(image.width(), image.height())
        : Math.max(image.width(), image.height());
    return side / (double) inputSize();
  }

  /**
   * Window and geometry only: the cacheable part of training preprocessing. A grey image for a colour task becomes
   * three equal channels (after the geometry, which then runs once).
   */
  public Plane prepareGeometry(Radiograph image) {
    if (image.channels() > inputChannels()) {
      throw new IllegalArgumentException(image.source() + " has " + image.channels() + " channels; task " + id()
          + " takes " + inputChannels() + " (read it with the task's colour handling)");
    }
    Plane plane = geometry.apply(IntensityWindow.standard().apply(image), null);
    return plane.channels() < inputChannels() ? plane.replicated(inputChannels()) : plane;
  }

  /** Every step's name in order, for the model card. */
  public List<String> describePreprocessing(String normalisationId) {
    List<String> colour = inputChannels() == 1 ? List.of()
        : List.of("colour(R, G, B kept, grey replicated; one window over all channels; every step per channel with "
            + "the same random draws)");
    return Stream.of(
            colour,
            List.of("intensity-window(VOI or 0.5-99.5 percentile, MONOCHROME1 inverted)"),
            geometry.describe(),
            augmentation.describe().stream().map(s -> "train-only " + s).toList(),
            normalisation(normalisationId).pipeline().describe())
        .flatMap(List::stream)
        .toList();
  }
}
