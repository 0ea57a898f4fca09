package org.rheumalens.tasks;

import java.util.List;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.Pipeline;

/**
 * What a clinical grading task is, as data: its ordered grades, the model input size and the preprocessing shared by
 * training and inference. A new task is a new instance, not a new pipeline.
 *
 * @param id command-line name, e.g. "knee-kl"
 * @param title human name
 * @param subject what an input must show, in words for a refusal ("knee radiograph")
 * @param grades grade labels in order (ordinal tasks: lowest first)
 * @param inputSize model input is inputSize x inputSize, one channel
 * @param geometry raw plane to model-sized plane (crop, resize); its output is what training caches
 * @param normalisations the ways a model-sized plane can become model input, by id, the task's default first; a model
 *     card names the one its network was trained with, and inference must use that same one
 * @param augmentation random training-time transforms, between geometry and normalisation
 * @param measuresJointSpace whether each graded input also gets its minimum joint space widths (knee tasks)
 */
public record GradingTask(
    String id,
    String title,
    String subject,
    List<String> grades,
    int inputSize,
    Pipeline geometry,
    List<Normalisation> normalisations,
    Pipeline augmentation,
    boolean measuresJointSpace) {

  /** One named normalisation: model-sized plane to model input; runs after augmentation in training. */
  public record Normalisation(String id, Pipeline pipeline) {}

  public GradingTask {
    normalisations = List.copyOf(normalisations);
    if (normalisations.isEmpty()) {
      throw new IllegalArgumentException("task " + id + " needs at least one normalisation");
    }
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
        .orElseThrow(() -> new IllegalArgumentException("task " + id + " has no normalisation '" + normalisationId
            + "'; known: " + normalisations.stream().map(Normalisation::id).toList()));
  }

  public int classes() {
    return grades.size();
  }

  /** Full inference preprocessing with the default normalisation: window, geometry, normalisation. */
  public Plane prepare(Radiograph image) {
    return defaultNormalisation().pipeline().apply(prepareGeometry(image), null);
  }

  /**
   * Source pixels per model-input pixel along a row: the geometry crops the centre square and resizes it to the input
   * size. Multiplied by the file's pixel spacing it gives millimetres per model pixel.
   */
  public double sourcePixelsPerInputPixel(Radiograph image) {
    return Math.min(image.width(), image.height()) / (double) inputSize;
  }

  /** Window and geometry only: the cacheable part of training preprocessing. */
  public Plane prepareGeometry(Radiograph image) {
    return geometry.apply(IntensityWindow.standard().apply(image), null);
  }

  /** Every step's name in order, for the model card. */
  public List<String> describePreprocessing(String normalisationId) {
    return java.util.stream.Stream.of(
            List.of("intensity-window(VOI or 0.5-99.5 percentile, MONOCHROME1 inverted)"),
            geometry.describe(),
            augmentation.describe().stream().map(s -> "train-only " + s).toList(),
            normalisation(normalisationId).pipeline().describe())
        .flatMap(List::stream)
        .toList();
  }
}
