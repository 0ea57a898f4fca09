package org.rheumalens.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Locale;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.locate.KneeBox;
import org.rheumalens.locate.KneeBoxRegressor;
import org.rheumalens.locate.KneeLocator;
import org.rheumalens.locate.KneeTemplate;
import org.rheumalens.measure.JointSpaceMeter;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.oversight.ImageQuality;
import org.rheumalens.oversight.OodGate;
import org.rheumalens.oversight.OodScore;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.oversight.TriagePolicy;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.ModalityCheck;

/**
 * Grades image files end to end: read, preprocess as the task declares, one forward pass, then the oversight the
 * model card carries (calibrated probabilities, out-of-distribution gate, MC-dropout uncertainty, triage). Bad inputs
 * never throw: they come back as results carrying the cause, so one corrupt file cannot stop a batch.
 */
public final class Grader implements AutoCloseable {

  static final String UNCALIBRATED = "uncalibrated";

  private final GradingModel model;
  private final GradingTask task;
  /** The normalisation the model card names: inputs go through what the network was trained on. */
  private final Pipeline normalisation;
  private final RadiographReader reader;
  private final OodGate oodGate;
  private final JointSpaceMeter jointSpace = new JointSpaceMeter();
  private final KneeLocator locator;
  /** The locator's box regressor, owned here for closing; null where the model has none. */
  private final KneeBoxRegressor regressor;
  private volatile boolean refuseOutOfDistribution = true;
  private volatile boolean oversightApplied = true;

  private Grader(GradingModel model, GradingTask task, RadiographReader reader, OodGate oodGate, KneeLocator locator,
      KneeBoxRegressor regressor) {
    this.model = model;
    this.locator = locator;
    this.regressor = regressor;
    this.task = task;
    this.normalisation = model.normalisation(task);
    this.reader = reader;
    this.oodGate = oodGate;
  }

  /** Opens the model in {@code modelDir}; its card names the task and so the preprocessing. */
  public static Grader open(Path modelDir) throws IOException {
    GradingModel model = GradingModel.load(modelDir);
    try {
      return open(modelDir, model, model.card().gradingTask());
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Opens a model for a task given explicitly (the task must match the model card's). */
  public static Grader open(Path modelDir, GradingTask task) throws IOException {
    GradingModel model = GradingModel.load(modelDir);
    try {
      return open(modelDir, model, task);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static Grader open(Path modelDir, GradingModel model, GradingTask task) throws IOException {
    if (!task.id().equals(model.card().taskId())) {
      throw new IllegalArgumentException("model in " + modelDir + " grades " + model.card().taskId() + ", not " + task.id());
    }
    OversightSettings oversight = model.card().oversight();
    OodGate gate = oversight == null ? null : OodGate.read(modelDir, oversight.ood());
    if (!Files.exists(modelDir.resolve(KneeTemplate.FILE))) {
      return new Grader(model, task, RadiographReader.standard(task.colourHandling()), gate, null, null);
    }
    KneeTemplate template = KneeTemplate.read(modelDir);
    KneeBoxRegressor regressor = KneeBoxRegressor.existsIn(modelDir) ? KneeBoxRegressor.load(modelDir) : null;
    return new Grader(model, task, RadiographReader.standard(task.colourHandling()), gate, new KneeLocator(template, regressor), regressor);
  }

  /**
   * Whether an input the out-of-distribution gate flags is refused (no grade; the default) or graded anyway and sent
   * to review; evaluation on labelled data grades everything and counts the flags.
   */
  public Grader refuseOutOfDistribution(boolean refuse) {
    this.refuseOutOfDistribution = refuse;
    return this;
  }

  /**
   * Whether results carry the oversight (OOD gate, MC-dropout uncertainty, triage; the default) or only the calibrated
   * grade; the benchmark turns it off to measure what oversight costs.
   */
  public Grader applyOversight(boolean apply) {
    this.oversightApplied = apply;
    return this;
  }

  public GradingModel model() {
    return model;
  }

  public GradingTask task() {
    return task;
  }

  /** Grades one file. */
  public GradeResult grade(Path file) {
    return analyse(file, false, GRADED).result();
  }

  /** Marks "the grade the model gives" where a grade to explain is asked for. */
  public static final int GRADED = -1;

  /**
   * Grades one file and keeps what explanations need: the model input and the network output, with the feature maps
   * and the gradients of grade {@code camGrade}'s logit ({@link #GRADED}: the grade given) when {@code withMaps}.
   */
  public Analysis analyse(Path file, boolean withMaps, int camGrade) {
    long start = System.nanoTime();
    Radiograph radiograph;
    try {
      radiograph = reader.read(file);
    } catch (ImageReadException e) {
      return new Analysis(GradeResult.failed(file.toString(), e.getMessage(), elapsedMs(start)), null, null);
    }
    Side side = Side.fromFileName(file.getFileName().toString());
    if (side == Side.UNKNOWN && radiograph.format().startsWith("DICOM")) {
      // A DICOM film names its side itself; the file name of a PACS export rarely does.
      side = Side.of(org.rheumalens.dicom.SourceImage.laterality(file));
    }
    Analysis analysis = analyse(file.toString(), radiograph, side, withMaps, camGrade);
    return new Analysis(withTime(analysis.result(), elapsedMs(start)), analysis.input(), analysis.output());
  }

  /**
   * As {@link #analyse(Path, boolean, int)} for an image already decoded (e.g. from a store); {@code name} labels it
   * and {@code side} (from DICOM laterality or the file name) names the medial and lateral compartments.
   */
  public Analysis analyse(String name, Radiograph radiograph, Side side, boolean withMaps, int camGrade) {
    long start = System.nanoTime();
    try {
      requireModality(name, radiograph);
      Input input = prepare(radiograph, side);
      InferencePolicy policy = model.card().inference();
      NetworkOutput original = model.forward(List.of(input.plane()), withMaps ? new int[] {camGrade} : null).get(0);
      // The mirror runs only where the policy asks (always, or when the single pass is unsure).
      float[] mirrorLogits = model.mirrorLogits(List.of(input.plane()), new float[][] {original.logits()}, policy)[0];
      if (withMaps && mirrorLogits != null) {
        // The grade given comes from both passes; Grad-CAM must explain that grade, which needs a pass of its own
        // only where the mirror changed it from the single pass's.
        int target = camGrade != GRADED ? camGrade : model.decide(model.probabilities(original.logits(), mirrorLogits));
        if (target != original.maps().targetGrade()) {
          original = model.forward(List.of(input.plane()), new int[] {target}).get(0);
        }
      }
      GradeResult result = measured(assess(name, input.quality(), original, mirrorLogits, 0), input);
      return new Analysis(withTime(result, elapsedMs(start)), input.plane(), original);
    } catch (ImageReadException e) {
      return new Analysis(GradeResult.failed(name, e.getMessage(), elapsedMs(start)), null, null);
    } catch (RuntimeException e) {
      return new Analysis(GradeResult.failed(name, name + ": grading failed: " + e, elapsedMs(start)), null, null);
    }
  }

  /** Refuses a radiograph whose own DICOM modality rules it out for this task (a CT slice for a radiograph grader). */
  private void requireModality(String name, Radiograph radiograph) throws ImageReadException {
    Optional<String> refusal = ModalityCheck.refusal(radiograph.modality(), task.definition().modality(), task.id());
    if (refusal.isPresent()) {
      throw new ImageReadException(name, refusal.get());
    }
  }

  /** Whether this model can find knees in whole radiographs (its folder holds a knee template). */
  public boolean locatesKnees() {
    return locator != null;
  }

  /**
   * Grades every knee found in a whole radiograph: the locator finds up to two knee joints, each is cut out of the
   * source pixels (so its pixel spacing still gives millimetres), graded and measured as a crop would be, and labelled
   * with its box and side. A radiograph with no knee found gives one refused result saying so.
   */
  public List<GradeResult> gradeWholeRadiograph(Path file) {
    long start = System.nanoTime();
    if (locator == null) {
      throw new IllegalStateException("model " + model.card().name() + " has no knee template; run fit-locator");
    }
    Radiograph radiograph;
    try {
      radiograph = reader.read(file);
      requireModality(file.toString(), radiograph);
    } catch (ImageReadException e) {
      return List.of(GradeResult.failed(file.toString(), e.getMessage(), elapsedMs(start)));
    }
    List<KneeLocator.LocatedKnee> knees = locator.locate(IntensityWindow.standard().apply(radiograph), kneeVerifier(radiograph));
    if (knees.isEmpty()) {
      return List.of(new GradeResult(file.toString(), null, null, null, elapsedMs(start), null, null, null, true,
          List.of(TriagePolicy.OUT_OF_DISTRIBUTION), null, "not graded: no knee joint found in this radiograph", null,
          null, null, null));
    }
    Side fileSide = Side.fromFileName(file.getFileName().toString());
    List<GradeResult> results = new ArrayList<>();
    for (KneeLocator.LocatedKnee knee : knees) {
      // One knee on the film: the side can only come from the file; two: from their order (PA convention).
      Side side = knee.side() != Side.UNKNOWN ? knee.side() : fileSide;
      KneeLocator.LocatedKnee labelled = new KneeLocator.LocatedKnee(knee.box(), knee.score(), side);
      String name = file + (side == Side.UNKNOWN ? "#knee" + (results.size() + 1) : "#" + side.name().charAt(0));
      Radiograph crop = cut(radiograph, knee.box(), name);
      results.add(analyse(name, crop, side, false, GRADED).result().withKnee(labelled));
    }
    // Each knee's time is its share of the whole film: reading and locating are shared.
    double share = elapsedMs(start) / knees.size();
    return results.stream().map(r -> withTime(r, share)).toList();
  }

  /**
   * How many times the OOD gate's threshold a box may score and still be taken for a knee while locating: a located
   * box frames its knee a little differently from the training crops, which raises the score (true knees on composite
   * films score up to about the threshold); edges of legs and gaps between them score 3-10 times it.
   */
  static final double LOCATOR_OOD_SLACK = 2;

  /** The grading model's second opinion on candidate knee boxes of {@code radiograph}; null without an OOD gate. */
  public KneeLocator.KneeVerifier kneeVerifier(Radiograph radiograph) {
    if (oodGate == null) {
      return null;
    }
    double limit = LOCATOR_OOD_SLACK * oodGate.threshold();
    return box -> {
      Plane crop = prepare(cut(radiograph, box, radiograph.source()), Side.UNKNOWN).plane();
      return oodGate.score(model.forward(List.of(crop), null).get(0).features()).score() <= limit;
    };
  }

  /**
   * The square {@code box} of {@code image}'s source values, moved inside the image where it overhangs: a knee, or any
   * region a region stage found, as a crop that keeps the source's pixel spacing and display hints.
   */
  public static Radiograph cut(Radiograph image, KneeBox box, String name) {
    int size = (int) Math.min(Math.round(box.size()), Math.min(image.width(), image.height()));
    int x0 = (int) Math.max(0, Math.min(image.width() - size, Math.round(box.x())));
    int y0 = (int) Math.max(0, Math.min(image.height() - size, Math.round(box.y())));
    float[] values = new float[size * size * image.channels()];
    for (int c = 0; c < image.channels(); c++) {
      int channel = c * image.width() * image.height();
      for (int y = 0; y < size; y++) {
        System.arraycopy(image.values(), channel + (y0 + y) * image.width() + x0, values, (c * size + y) * size, size);
      }
    }
    return new Radiograph(name, image.format(), size, size, values, image.bitsStored(), image.invert(), image.window(),
        image.pixelSpacing(), image.modality(), image.channels());
  }

  /** A result with the model input and network output behind it (both null when the file failed). */
  public record Analysis(GradeResult result, Plane input, NetworkOutput output) {}

  /**
   * Grades files in batches of {@code batchSize} through one forward pass each (higher throughput); each result's
   * time is its share of its batch.
   */
  public List<GradeResult> gradeBatched(List<Path> files, int batchSize) {
    List<GradeResult> results = new ArrayList<>(files.size());
    for (int start = 0; start < files.size(); start += batchSize) {
      long began = System.nanoTime();
      List<Path> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
      List<Input> inputs = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      GradeResult[] chunkResults = new GradeResult[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        try {
          inputs.add(prepare(chunk.get(i)));
          slots.add(i);
        } catch (ImageReadException e) {
          chunkResults[i] = GradeResult.failed(chunk.get(i).toString(), e.getMessage(), 0);
        }
      }
      List<Plane> planes = inputs.stream().map(Input::plane).toList();
      List<NetworkOutput> outputs = planes.isEmpty() ? List.of() : model.forward(planes, null);
      float[][] mirror = planes.isEmpty() ? null : model.mirrorLogits(planes,
          outputs.stream().map(NetworkOutput::logits).toArray(float[][]::new), model.card().inference());
      for (int j = 0; j < slots.size(); j++) {
        int i = slots.get(j);
        chunkResults[i] = measured(assess(chunk.get(i).toString(), inputs.get(j).quality(), outputs.get(j),
            mirror == null ? null : mirror[j], 0), inputs.get(j));
      }
      double share = elapsedMs(began) / chunk.size();
      for (int i = 0; i < chunkResults.length; i++) {
        chunkResults[i] = withTime(chunkResults[i], share);
      }
      results.addAll(List.of(chunkResults));
    }
    return results;
  }

  /**
   * A model input with what was learnt about it on the way: quality, side, millimetres per input pixel, and the plane
   * joint space widths are measured on (the task's default normalisation, which the meter was checked on).
   */
  private record Input(Plane plane, Plane measurementPlane, ImageQuality quality, Side side, OptionalDouble mmPerPixel) {}

  /** The network input for a radiograph: window, geometry and the model's normalisation (for benchmarks). */
  public Plane modelInput(Radiograph radiograph) {
    return normalisation.apply(task.prepareGeometry(radiograph), null);
  }

  private Input prepare(Path file) throws ImageReadException {
    Radiograph radiograph = reader.read(file);
    requireModality(radiograph.source(), radiograph);
    return prepare(radiograph, Side.fromFileName(file.getFileName().toString()));
  }

  private Input prepare(Radiograph radiograph, Side side) {
    Plane geometry = task.prepareGeometry(radiograph);
    ImageQuality quality = ImageQuality.measure(geometry, radiograph.width(), radiograph.height());
    OptionalDouble mmPerPixel = radiograph.pixelSpacing()
        .map(s -> OptionalDouble.of(s.columnMm() * task.sourcePixelsPerInputPixel(radiograph)))
        .orElse(OptionalDouble.empty());
    Plane input = normalisation.apply(geometry, null);
    Pipeline measuring = task.defaultNormalisation().pipeline();
    Plane measurementPlane = !task.measuresJointSpace() || measuring == normalisation ? input : measuring.apply(geometry, null);
    return new Input(input, measurementPlane, quality, side, mmPerPixel);
  }

  /** Adds the joint space widths to a graded result, for tasks that measure them. */
  private GradeResult measured(GradeResult result, Input input) {
    if (!task.measuresJointSpace() || result.grade() == null) {
      return result;
    }
    return result.withMeasurements(jointSpace.measure(input.measurementPlane(), input.side(), input.mmPerPixel()));
  }

  /** Applies the card's oversight to one network output. */
  private GradeResult assess(String file, ImageQuality quality, NetworkOutput out, float[] mirrorLogits, double ms) {
    if (!oversightApplied) {
      float[] probabilities = model.probabilities(out.logits(), mirrorLogits);
      int grade = model.decide(probabilities);
      return new GradeResult(file, grade, probabilities, probabilities[grade], ms, null, null, null, null,
          null, null, null, null, null, null, null).withOutputs(model.heads().read(out.rest()));
    }
    OversightSettings oversight = model.card().oversight();
    OodScore ood = oodGate == null ? null : oodGate.score(out.features());
    List<String> qualityProblems = oversight == null ? List.of() : oversight.quality().problems(quality);
    List<String> reasons = new ArrayList<>();
    if (ood != null && ood.flagged() && refuseOutOfDistribution) {
      reasons.add(TriagePolicy.OUT_OF_DISTRIBUTION);
      if (!qualityProblems.isEmpty()) {
        reasons.add(TriagePolicy.POOR_IMAGE_QUALITY);
      }
      String message = String.format(Locale.ROOT,
          "not graded: not a %s / outside what this model was trained on (OOD score %.1f > threshold %.1f)",
          task.subject(), ood.score(), ood.threshold());
      return new GradeResult(file, null, null, null, ms, null, ood, null, true, reasons,
          qualityProblems.isEmpty() ? null : qualityProblems, message, null, null, null, null);
    }
    float[] probabilities = model.probabilities(out.logits(), mirrorLogits);
    int grade = model.decide(probabilities);
    float[][] dropoutRows =
        model.dropoutRows(List.of(out.features()), OversightFitter.MC_DROPOUT_SAMPLES, OversightFitter.MC_DROPOUT_SEED)[0];
    Uncertainty uncertainty = Uncertainty.fromDropoutLogits(model.primaryLogits(dropoutRows), model.temperature());
    if (ood != null && ood.flagged()) {
      reasons.add(TriagePolicy.OUT_OF_DISTRIBUTION);
    }
    if (!qualityProblems.isEmpty()) {
      reasons.add(TriagePolicy.POOR_IMAGE_QUALITY);
    }
    if (oversight == null) {
      reasons.add(UNCALIBRATED);
    } else {
      reasons.addAll(oversight.triage().reasons(probabilities, grade));
    }
    // A secondary output its own triage sends to a reader sends the whole image: "<output>:<reason>".
    Map<String, Object> readings = model.heads().read(out.rest(), oversight == null ? null : oversight.outputs(),
        dropoutRows);
    readings.forEach((name, reading) -> {
      Object more = ((Map<?, ?>) reading).get("review_reasons");
      if (more instanceof List<?> list) {
        list.forEach(r -> reasons.add(name + ":" + r));
      }
    });
    return new GradeResult(file, grade, probabilities, probabilities[grade], ms, null, ood, uncertainty,
        !reasons.isEmpty(), reasons, qualityProblems.isEmpty() ? null : qualityProblems, null, null, null, null, null)
        .withOutputs(readings);
  }

  private static GradeResult withTime(GradeResult r, double ms) {
    return new GradeResult(r.file(), r.grade(), r.probabilities(), r.confidence(), ms, r.error(), r.ood(),
        r.uncertainty(), r.needsReview(), r.reviewReasons(), r.qualityProblems(), r.message(), r.explanations(),
        r.measurements(), r.knee(), r.outputs());
  }

  private static double elapsedMs(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() {
    try (GradingModel m = model) {
      if (regressor != null) {
        regressor.close();
      }
    }
  }
}
