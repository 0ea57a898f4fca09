package org.rheumalens.segmentation;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.dataset.ManifestException;
import org.rheumalens.dataset.ManifestRow;
import org.rheumalens.dataset.PatientSplit;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;

/**
 * A segmentation task run from a manifest: each row's image through the task's geometry, its mask (a label image
 * whose pixel value is the class index) through the same geometry by nearest neighbour, training with
 * {@link SegmentationTrainer}, and evaluation as metrics.json keys {@code dice}, {@code iou}, {@code hd95} by class.
 * The task definition is written beside the model ({@value #TASK_FILE}) so the model can be used without its file.
 */
public final class ManifestSegmentation {

  public static final String TASK_FILE = "task.json";
  /** The review limit fitted on val: {@link ReviewLimit} as JSON. */
  public static final String REVIEW_FILE = "segmentation-review.json";
  /** The share of val outlines, the most uncertain, that the fitted limit sends to a reader. */
  static final double REVIEW_SHARE = 0.10;

  /**
   * When a segmentation goes to a reader: its mean predictive entropy inside the predicted structures above
   * {@code entropyLimit} (the val {@value #REVIEW_SHARE} most uncertain), or no structure found at all. The val Dice of
   * the outlines kept and of those sent shows whether the entropy knows when the outline is wrong.
   */
  public record ReviewLimit(double entropyLimit, int valImages, double valSentShare, double valDiceKept,
      double valDiceSent) {

    /** The review reasons for one result (empty: auto-accept). */
    public List<String> reasons(SegmentationResult result) {
      List<String> reasons = new ArrayList<>();
      if (result.mask().maxLabel() == 0) {
        reasons.add("no_structure_found");
      } else if (result.meanStructureEntropy() > entropyLimit) {
        reasons.add("uncertain_outline");
      }
      return reasons;
    }
  }

  /** The model's fitted review limit, or null for models from before it was fitted. */
  public static ReviewLimit reviewLimit(Path modelDir) throws IOException {
    Path file = modelDir.resolve(REVIEW_FILE);
    return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), ReviewLimit.class) : null;
  }

  /** Fits the review limit on val and writes it beside the model. */
  static ReviewLimit fitReviewLimit(Path modelDir, List<String> classes, List<SegmentationSample> val) throws IOException {
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<SegmentationResult> results = model.predict(val.stream().map(SegmentationSample::image).toList());
      double[] entropy = results.stream().mapToDouble(SegmentationResult::meanStructureEntropy).sorted().toArray();
      double limit = entropy[Math.min(entropy.length - 1, (int) Math.floor((1 - REVIEW_SHARE) * entropy.length))];
      List<LabelMask> keptTruth = new ArrayList<>();
      List<LabelMask> keptPredicted = new ArrayList<>();
      List<LabelMask> sentTruth = new ArrayList<>();
      List<LabelMask> sentPredicted = new ArrayList<>();
      ReviewLimit probe = new ReviewLimit(limit, 0, 0, 0, 0);
      for (int i = 0; i < results.size(); i++) {
        boolean sent = !probe.reasons(results.get(i)).isEmpty();
        (sent ? sentTruth : keptTruth).add(val.get(i).mask());
        (sent ? sentPredicted : keptPredicted).add(results.get(i).mask());
      }
      ReviewLimit fitted = new ReviewLimit(limit, val.size(), sentTruth.size() / (double) val.size(),
          keptTruth.isEmpty() ? Double.NaN : SegmentationMetrics.of(classes, keptTruth, keptPredicted, null).meanDice(),
          sentTruth.isEmpty() ? Double.NaN : SegmentationMetrics.of(classes, sentTruth, sentPredicted, null).meanDice());
      JSON.writeValue(modelDir.resolve(REVIEW_FILE).toFile(), fitted);
      return fitted;
    }
  }
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

  private ManifestSegmentation() {}

  /** Whether {@code modelDir} holds a segmentation model. */
  public static boolean isSegmentationModel(Path modelDir) {
    return Files.isRegularFile(modelDir.resolve(SegmentationCard.FILE));
  }

  /** The task a segmentation model was trained for. */
  public static GradingTask task(Path modelDir) throws IOException {
    return org.rheumalens.tasks.TaskBuilder.build(JSON.readValue(modelDir.resolve(TASK_FILE).toFile(), TaskDefinition.class));
  }

  /** Samples of every row, images and masks letterboxed (or cropped) as the task says; bad masks are named by row. */
  public static List<SegmentationSample> samples(GradingTask task, Manifest manifest) throws IOException {
    TaskDefinition.Output output = task.primary();
    int classes = output.classes().size();
    RadiographReader reader = RadiographReader.standard(task.colourHandling());
    List<SegmentationSample> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ManifestRow row : manifest.rows()) {
      try {
        Radiograph image = reader.read(row.image());
        Plane plane = task.prepareGeometry(image);
        String cell = row.labels().get(output.name());
        if (PaintedShapes.looksLikeShapes(cell)) {
          int[] painted;
          try {
            painted = PaintedShapes.parse(cell, output.classes()).paint(image.width(), image.height());
          } catch (IllegalArgumentException e) {
            problems.add("row " + row.row() + ": " + e.getMessage());
            continue;
          }
          java.awt.image.WritableRaster raster = java.awt.image.Raster.createBandedRaster(
              java.awt.image.DataBuffer.TYPE_INT, image.width(), image.height(), 1, null);
          raster.setSamples(0, 0, image.width(), image.height(), 0, painted);
          LabelMask labels = resize(raster, task, classes, row.row(), problems);
          if (labels != null) {
            samples.add(new SegmentationSample(plane, labels, spacing(image, task)));
          }
          continue;
        }
        Path maskFile = Manifest.resolve(manifest.folder(), cell);
        BufferedImage mask = ImageIO.read(maskFile.toFile());
        if (mask == null) {
          problems.add("row " + row.row() + ": mask " + maskFile + " is not a PNG/JPEG/BMP/TIFF label image");
          continue;
        }
        if (mask.getWidth() != image.width() || mask.getHeight() != image.height()) {
          problems.add("row " + row.row() + ": mask is " + mask.getWidth() + "x" + mask.getHeight() + " but its image is "
              + image.width() + "x" + image.height());
          continue;
        }
        LabelMask labels = resize(mask.getRaster(), task, classes, row.row(), problems);
        if (labels != null) {
          samples.add(new SegmentationSample(plane, labels, spacing(image, task)));
        }
      } catch (ImageReadException e) {
        problems.add("row " + row.row() + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(manifest.file(), problems);
    }
    return samples;
  }

  /** The label image brought to the model grid by nearest neighbour, with the geometry the image went through. */
  private static LabelMask resize(Raster raster, GradingTask task, int classes, int row, List<String> problems) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int size = task.inputSize();
    ModelGrid grid = ModelGrid.of(task, w, h);
    int[] out = new int[size * size];
    for (int y = 0; y < size; y++) {
      int sy = (int) Math.floor(grid.sourceY(y));
      for (int x = 0; x < size; x++) {
        int sx = (int) Math.floor(grid.sourceX(x));
        if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
          continue;
        }
        int label = raster.getSample(sx, sy, 0);
        if (label >= classes) {
          problems.add("row " + row + ": mask value " + label + " at (" + sx + ", " + sy + ") is not a class index 0.."
              + (classes - 1));
          return null;
        }
        out[y * size + x] = label;
      }
    }
    return LabelMask.of(size, size, out);
  }

  /** The image's pixel spacing on the model grid; null when the file states none. */
  static PixelSpacing spacing(Radiograph image, GradingTask task) {
    return image.pixelSpacing()
        .map(s -> new PixelSpacing(s.columnMm() * task.sourcePixelsPerInputPixel(image),
            s.rowMm() * task.sourcePixelsPerInputPixel(image)))
        .orElse(null);
  }

  /** Trains on the train manifest, selecting on val or a patient-grouped share of train; returns the val metrics. */
  public static SegmentationMetrics train(GradingTask task, Manifest train, Manifest val, double heldOut, long seed,
      SegmentationConfig.Builder config, Path out, PrintStream log) throws IOException {
    if (val == null) {
      PatientSplit.Split split = PatientSplit.holdOut(train.rows(), heldOut, seed, r -> 0, 1);
      log.printf("selection set held out from the train manifest: %d images of %d patients (seed %d, grouped by patient)%n",
          split.heldOut().size(), split.heldOutPatients(), seed);
      val = train.subset(split.heldOut());
      train = train.subset(split.train());
    }
    List<SegmentationSample> trainSamples = samples(task, train);
    List<SegmentationSample> valSamples = samples(task, val);
    SegmentationConfig built = config.setClasses(task.primary().classes()).setOutputDir(out).build();
    SegmentationTrainer.Result result = new SegmentationTrainer(built, log).train(trainSamples, valSamples);
    JSON.writeValue(out.resolve(TASK_FILE).toFile(), task.definition());
    ReviewLimit limit = fitReviewLimit(out, task.primary().classes(), valSamples);
    log.printf(java.util.Locale.ROOT, "review limit: mean structure entropy > %.3f (val: %.0f%% sent to a reader, "
        + "mean Dice %.3f of those kept, %.3f of those sent)%n", limit.entropyLimit(), 100 * limit.valSentShare(),
        limit.valDiceKept(), limit.valDiceSent());
    return result.valMetrics();
  }

  /** The segmentation metrics of a model on a manifest, keyed as metrics.json has them. */
  public static Map<String, Object> evaluate(Path modelDir, Manifest data) throws IOException {
    GradingTask task = task(modelDir);
    List<SegmentationSample> samples = samples(task, data);
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<LabelMask> predicted = model.predict(samples.stream().map(SegmentationSample::image).toList()).stream()
          .map(SegmentationResult::mask).toList();
      SegmentationMetrics m = SegmentationMetrics.of(task.primary().classes(),
          samples.stream().map(SegmentationSample::mask).toList(), predicted,
          samples.stream().map(SegmentationSample::spacing).toList());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("n", m.images());
      Map<String, Object> dice = new LinkedHashMap<>();
      Map<String, Object> iou = new LinkedHashMap<>();
      Map<String, Object> hd95 = new LinkedHashMap<>();
      Map<String, Object> hd95Mm = new LinkedHashMap<>();
      m.perClass().forEach((name, s) -> {
        dice.put(name, orNull(s.dice()));
        iou.put(name, orNull(s.iou()));
        hd95.put(name, orNull(s.hd95Pixels()));
        hd95Mm.put(name, orNull(s.hd95Mm()));
      });
      json.put("dice", dice);
      json.put("iou", iou);
      json.put("hd95", hd95);
      json.put("hd95_mm", hd95Mm);
      json.put("mean_dice", orNull(m.meanDice()));
      json.put("mean_iou", orNull(m.meanIou()));
      json.put("mean_hd95", orNull(m.meanHd95Pixels()));
      return json;
    }
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
