package org.rheumalens.tasks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A clinical imaging task as a user writes it down ({@code --task-file}, JSON): what the images show, what is read
 * off them, and optionally how. Everything left out gets a default for the modality and output kind
 * ({@link TaskBuilder}); the model card keeps the definition, so a model can be used without its file.
 *
 * @param id command-line and model name, e.g. "us-synovitis"
 * @param title human name
 * @param subject what an input must show, in words for a refusal ("joint ultrasound")
 * @param modality XR, US, MR or CT
 * @param input model input size and channels (default 224 x 224, one channel; three keep R, G and B)
 * @param outputs what the model reads off an image; the first is the one the grader, triage and review follow
 * @param geometry "centre-square" (crop the centre square, as the knee crops) or "letterbox" (whole image, padded;
 *     the default for every task but the knee)
 * @param normalisations ids of the normalisations a model may be trained with, the default first
 *     ({@link Normalisations}); default per modality
 * @param augmentation training-time augmentation overrides (keys of {@link Augmentation}); default per modality
 * @param colour "refuse" (radiographs: a truly colour image is not one), "to-grey" (ultrasound exports with colour
 *     overlays are read as grey luma) or "keep" (R, G and B, for three input channels); default per modality, and
 *     "keep" for three channels
 * @param network network preset for training: "resnet18-half" (default), "small" or "tiny"
 * @param plugins task plug-ins by id, e.g. "knee" (whole-radiograph locator, joint space width, laterality)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDefinition(
    String id,
    String title,
    String subject,
    String modality,
    Input input,
    List<Output> outputs,
    String geometry,
    List<String> normalisations,
    Augmentation augmentation,
    String colour,
    String network,
    List<String> plugins) {

  public static final Set<String> MODALITIES = Set.of("XR", "US", "MR", "CT");
  public static final Set<String> GEOMETRIES = Set.of("centre-square", "letterbox");
  public static final Set<String> COLOUR_HANDLING = Set.of("refuse", "to-grey", "keep");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Model input: {@code size} x {@code size} pixels, {@code channels} 1 (grey) or 3 (R, G, B). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(Integer size, Integer channels) {
    public int sizeOrDefault() {
      return size == null ? 224 : size;
    }

    public int channelsOrDefault() {
      return channels == null ? 1 : channels;
    }
  }

  /**
   * One thing read off an image.
   *
   * @param name output name ("synovitis", "erosion")
   * @param kind ordinal, binary, categorical, regression or segmentation
   * @param column the manifest column holding the label (segmentation: the path of a mask image whose pixel value is
   *     the class index); default: the output's name
   * @param classes labels in order (ordinal: lowest first; binary: two, negative first)
   * @param range regression: the plausible [min, max] of the value
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Output(String name, Kind kind, String column, List<String> classes, List<Double> range) {

    /** The manifest column of this output's label. */
    public String labelColumn() {
      return column == null || column.isBlank() ? name : column;
    }

    /** Index of a label in {@link #classes()}, or -1; "2" and "2.0" both match a class "2". */
    public int classIndex(String label) {
      String value = label.trim();
      int exact = classes.indexOf(value);
      if (exact >= 0) {
        return exact;
      }
      for (int k = 0; k < classes.size(); k++) {
        if (classes.get(k).equalsIgnoreCase(value) || sameNumber(classes.get(k), value)) {
          return k;
        }
      }
      return -1;
    }

    private static boolean sameNumber(String a, String b) {
      try {
        return Double.parseDouble(a) == Double.parseDouble(b);
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  /** What kind of value an output is; the JSON names are lower case. */
  public enum Kind {
    @JsonProperty("ordinal") ORDINAL,
    @JsonProperty("binary") BINARY,
    @JsonProperty("categorical") CATEGORICAL,
    @JsonProperty("regression") REGRESSION,
    @JsonProperty("segmentation") SEGMENTATION;

    /** Whether the output is one class of a list (trained with a softmax head). */
    @JsonIgnore
    public boolean isClassification() {
      return this == ORDINAL || this == BINARY || this == CATEGORICAL;
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Training augmentation overrides; null keeps the modality's default. Geometry: flip probability, rotation in
   * degrees, scale and shift as fractions. Intensity: log-gamma, contrast and brightness deltas.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Augmentation(Double flip, Double rotate, Double scale, Double shift, Double gamma, Double contrast,
      Double brightness) {}

  /** The output the grader, triage and review follow. */
  public Output primary() {
    return outputs.get(0);
  }

  public List<String> pluginsOrNone() {
    return plugins == null ? List.of() : plugins;
  }

  /**
   * Every problem with this definition, each naming the field and what is allowed; empty when it can be used.
   * {@code where} names the file in the messages.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (id == null || !ID.matcher(id).matches()) {
      problems.add("\"id\" must be 1-64 lower-case letters, digits, '.', '_' or '-' (was " + quoted(id) + ")");
    }
    if (title == null || title.isBlank()) {
      problems.add("\"title\" is required (a human name for the task)");
    }
    if (subject == null || subject.isBlank()) {
      problems.add("\"subject\" is required (what an input must show, e.g. \"joint ultrasound\")");
    }
    if (modality == null || !MODALITIES.contains(modality)) {
      problems.add("\"modality\" must be one of XR, US, MR, CT (was " + quoted(modality) + ")");
    }
    if (input != null) {
      int size = input.sizeOrDefault();
      if (size < 32 || size > 1024 || size % 32 != 0) {
        problems.add("\"input.size\" must be a multiple of 32 from 32 to 1024 (was " + size + ")");
      }
      if (input.channelsOrDefault() != 1 && input.channelsOrDefault() != 3) {
        problems.add("\"input.channels\" must be 1 or 3 (was " + input.channels() + ")");
      }
    }
    if (geometry != null && !GEOMETRIES.contains(geometry)) {
      problems.add("\"geometry\" must be one of " + GEOMETRIES + " (was " + quoted(geometry) + ")");
    }
    if (colour != null && !COLOUR_HANDLING.contains(colour)) {
      problems.add("\"colour\" must be one of " + COLOUR_HANDLING + " (was " + quoted(colour) + ")");
    }
    boolean threeChannels = input != null && input.channelsOrDefault() == 3;
    if (threeChannels && colour != null && !"keep".equals(colour)) {
      problems.add("\"input.channels\" 3 reads R, G and B: \"colour\" must be \"keep\" or left out (was "
          + quoted(colour) + ")");
    }
    if (!threeChannels && "keep".equals(colour)) {
      problems.add("\"colour\": \"keep\" needs \"input\": {\"channels\": 3}; a one-channel network reads grey");
    }
    if (network != null && !Set.of("resnet18-half", "small", "tiny").contains(network)) {
      problems.add("\"network\" must be one of resnet18-half, small, tiny (was " + quoted(network) + ")");
    }
    if (outputs == null || outputs.isEmpty()) {
      problems.add("\"outputs\" must list at least one output {name, kind, column, classes}");
      return problems;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      String at = "outputs[" + i + "]";
      if (o == null) {
        problems.add(at + " is empty");
        continue;
      }
      if (o.name() == null || o.name().isBlank()) {
        problems.add(at + ".name is required");
      } else if (!names.add(o.name())) {
        problems.add(at + ".name \"" + o.name() + "\" is used twice");
      }
      if (o.kind() == null) {
        problems.add(at + ".kind is required: ordinal, binary, categorical, regression or segmentation");
        continue;
      }
      switch (o.kind()) {
        case ORDINAL, CATEGORICAL, SEGMENTATION -> {
          if (o.classes() == null || o.classes().size() < 2) {
            problems.add(at + ".classes must list at least two labels in order");
          } else if (new HashSet<>(o.classes()).size() != o.classes().size()) {
            problems.add(at + ".classes has a label twice: " + o.classes());
          }
        }
        case BINARY -> {
          if (o.classes() != null && o.classes().size() != 2) {
            problems.add(at + ".classes of a binary output must be two labels, negative first (was " + o.classes() + ")");
          }
        }
        case REGRESSION -> {
          if (o.range() == null || o.range().size() != 2 || !(o.range().get(0) < o.range().get(1))) {
            problems.add(at + ".range must be [min, max] with min < max for a regression output");
          }
        }
        default -> { }
      }
    }
    boolean segmentation = outputs.stream().anyMatch(o -> o != null && o.kind() == Kind.SEGMENTATION);
    if (segmentation && threeChannels) {
      problems.add("a segmentation task takes grey images (\"input.channels\" 1); three channels are for image-level "
          + "outputs (ordinal, binary, categorical, regression)");
    }
    if (segmentation && outputs.size() > 1) {
      problems.add("a segmentation output must be the task's only output (image-level outputs go in a task of their own)");
    }
    Output first = outputs.get(0);
    if (!segmentation && first != null && first.kind() == Kind.REGRESSION) {
      problems.add("outputs[0] is what the model grades, triages and sends to review: it must be ordinal, binary or "
          + "categorical (put regression outputs after it)");
    }
    return problems;
  }

  /** Network output units of {@code output}: one per class, one for a regression value. */
  public static int units(Output output) {
    return output.kind() == Kind.REGRESSION ? 1 : output.classes().size();
  }

  /** This definition with defaults made explicit where a later reader needs them (binary class names). */
  public TaskDefinition normalised() {
    List<Output> fixed = outputs.stream()
        .map(o -> o.kind() == Kind.BINARY && o.classes() == null
            ? new Output(o.name(), o.kind(), o.column(), List.of("0", "1"), o.range())
            : o)
        .toList();
    return new TaskDefinition(id, title, subject, modality, input, fixed, geometry, normalisations, augmentation,
        colour, network, plugins);
  }

  /** A short JSON-ready summary for {@code rheumalens tasks}. */
  public Map<String, Object> summary() {
    return Map.of("id", id, "title", title, "modality", modality, "outputs",
        outputs.stream().map(o -> o.name() + " (" + o.kind().id()
            + (o.classes() != null ? " " + String.join("/", o.classes()) : "") + ")").toList());
  }

  private static String quoted(String s) {
    return s == null ? "missing" : "\"" + s + "\"";
  }
}
