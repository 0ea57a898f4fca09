package org.rheumalens.tasks;

import java.util.List;
import org.rheumalens.preprocess.LetterboxResize;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.RandomAffine;
import org.rheumalens.preprocess.RandomIntensity;
import org.rheumalens.preprocess.SquareResize;
import org.rheumalens.tasks.TaskDefinition.Augmentation;

/**
 * Turns a {@link TaskDefinition} into a runnable {@link GradingTask}, filling what the file leaves out with defaults
 * for its modality: radiographs get CLAHE and refuse colour; ultrasound, MR and CT keep their grey levels and read
 * colour exports as grey; a task with three input channels keeps colour. Everything not a knee is letterboxed, so no
 * part of the image is cut away.
 */
public final class TaskBuilder {

  private TaskBuilder() {}

  /** The runnable task; refuses a definition with problems, listing every one. */
  public static GradingTask build(TaskDefinition written) {
    List<String> problems = written.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("task " + (written.id() == null ? "" : written.id() + " ")
          + "is not usable: " + String.join("; ", problems));
    }
    TaskDefinition definition = withDefaults(written.normalised());
    int size = definition.input().sizeOrDefault();
    Pipeline geometry = "centre-square".equals(definition.geometry())
        ? Pipeline.builder().add("square-resize(" + size + ")", new SquareResize(size)).build()
        : Pipeline.builder().add("letterbox-resize(" + size + ")", new LetterboxResize(size)).build();
    return new GradingTask(definition, geometry,
        definition.normalisations().stream().map(Normalisations::byId).toList(),
        augmentation(definition.modality(), definition.augmentation()));
  }

  /** The definition with every defaulted field written out, as the model card keeps it. */
  static TaskDefinition withDefaults(TaskDefinition d) {
    TaskDefinition.Input input = new TaskDefinition.Input(
        d.input() == null ? 224 : d.input().sizeOrDefault(), d.input() == null ? 1 : d.input().channelsOrDefault());
    return new TaskDefinition(d.id(), d.title(), d.subject(), d.modality(), input, d.outputs(),
        d.geometry() == null ? "letterbox" : d.geometry(),
        d.normalisations() == null || d.normalisations().isEmpty()
            ? Normalisations.defaultsFor(d.modality()) : d.normalisations(),
        d.augmentation(),
        d.colour() != null ? d.colour() : input.channels() == 3 ? "keep" : "XR".equals(d.modality()) ? "refuse" : "to-grey",
        d.network() == null ? "resnet18-half" : d.network(),
        d.plugins());
  }

  /**
   * Radiographs: the knee recipe (gamma x/÷1.35, contrast ±15%, brightness ±0.06; flip, ±8°, ±8% scale, ±4% shift).
   * Ultrasound, MR, CT: gain and contrast vary more between devices than gamma does, and the probe may be tilted.
   */
  static Pipeline augmentation(String modality, Augmentation overrides) {
    boolean radiograph = "XR".equals(modality);
    Augmentation a = overrides == null ? new Augmentation(null, null, null, null, null, null, null) : overrides;
    double gamma = or(a.gamma(), radiograph ? 0.3 : 0.2);
    double contrast = or(a.contrast(), radiograph ? 0.15 : 0.2);
    double brightness = or(a.brightness(), radiograph ? 0.06 : 0.08);
    double flip = or(a.flip(), 0.5);
    double rotate = or(a.rotate(), radiograph ? 8 : 10);
    double scale = or(a.scale(), 0.08);
    double shift = or(a.shift(), radiograph ? 0.04 : 0.06);
    return Pipeline.builder()
        .add(String.format(java.util.Locale.ROOT, "intensity(gamma x/÷%.2f, contrast ±%.0f%%, brightness ±%.2f)",
            Math.exp(gamma), contrast * 100, brightness), new RandomIntensity(gamma, contrast, brightness))
        .add(String.format(java.util.Locale.ROOT, "affine(flip %s, rotate ±%s°, scale ±%.0f%%, shift ±%.0f%%)",
            trim(flip), trim(rotate), scale * 100, shift * 100), new RandomAffine(flip, rotate, scale, shift))
        .build();
  }

  private static double or(Double value, double fallback) {
    return value == null ? fallback : value;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
