package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rheumalens.explain.Explainer;
import org.rheumalens.explain.Heatmap;
import org.rheumalens.io.InputFiles;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.segmentation.ManifestSegmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rheumalens grade}: grades files and folders with the bundled (or a given) model. */
@Command(name = "grade", mixinStandardHelpOptions = true,
    description = "Grade images (PNG, JPEG, DICOM). Folders are walked. Each result says whether a reader must review "
        + "it and why; inputs unlike the training images are refused. Exit code 1 when any input failed.")
final class GradeCommand implements Callable<Integer> {

  static final int SOME_INPUTS_FAILED = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR") List<Path> inputs;
  @Option(names = "--json", description = "One JSON object per line.") boolean json;
  @Mixin TaskOptions taskOptions;
  @Option(names = "--model", description = "Model folder; its card names the task (default: the bundled model of --task).") Path model;
  @Option(names = "--explain", paramLabel = "OUT_DIR",
      description = "Write heatmaps (PNG overlay with legend, raw float32 .npy) for each graded input into OUT_DIR.")
  Path explainDir;
  @Option(names = "--explain-grade", paramLabel = "GRADE",
      description = "Explain this grade (label like KL3, or index) instead of the grade given.")
  String explainGrade;
  @Option(names = "--explain-method", split = ",", paramLabel = "METHOD",
      description = "Heatmap methods: ${COMPLETION-CANDIDATES} (default: both).")
  Set<Explainer.Method> explainMethods;
  @Option(names = "--regions", paramLabel = "MODEL_DIR",
      description = "A region model (a segmentation task whose classes are the regions, e.g. joints) finds each region "
          + "in the whole image; each is cut out and graded by --model, and a last line per file adds the scores up.")
  Path regionsDir;
  @Option(names = "--region-margin", defaultValue = "1.6",
      description = "Crop side as a multiple of a region's painted extent (default ${DEFAULT-VALUE}).")
  double regionMargin;
  @Option(names = "--dicom-out", paramLabel = "DIR",
      description = "For each DICOM input write a Comprehensive SR (TID 1500 measurement report) and a Secondary "
          + "Capture of the Grad-CAM overlay into DIR: in the source's study, new series, referring to the source image.")
  Path dicomOut;
  @Option(names = "--locate", description = "Inputs are whole knee radiographs: find each knee (up to two), label its "
      + "side, and grade and measure each.")
  boolean locate;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = InputFiles.expand(inputs);
    int failures = 0;
    Path modelDir = taskOptions.modelFor(model);
    if (dicomOut != null && (regionsDir != null || ManifestSegmentation.isSegmentationModel(modelDir))) {
      throw new ParameterException(spec.commandLine(), "--dicom-out writes grading results only, not yet those of a "
          + "segmentation model or of --regions");
    }
    if (ManifestSegmentation.isSegmentationModel(modelDir)) {
      return segment(modelDir, files, out);
    }
    if (regionsDir != null) {
      return gradeRegions(modelDir, files, out);
    }
    try (Grader grader = Grader.open(modelDir)) {
      List<String> grades = grader.task().grades();
      int camGrade = explainGrade == null ? Grader.GRADED : parseGrade(explainGrade, grades);
      Explainer explainer = explainDir == null && dicomOut == null ? null : new Explainer(grader.model(), grades);
      // DICOM output alone needs only the cheap Grad-CAM map; --explain draws every method asked for.
      Set<Explainer.Method> methods = explainMethods != null && !explainMethods.isEmpty() ? EnumSet.copyOf(explainMethods)
          : explainDir == null ? EnumSet.of(Explainer.Method.GRADCAM) : EnumSet.allOf(Explainer.Method.class);
      DicomResults dicom = dicomOut == null ? null : new DicomResults(dicomOut, grader.task(), modelDir);
      Set<String> stems = new HashSet<>();
      if (locate && explainer != null) {
        throw new ParameterException(spec.commandLine(), "--locate cannot be combined with --explain or --dicom-out yet");
      }
      if (locate && !grader.locatesKnees()) {
        throw new ParameterException(spec.commandLine(), "this model has no knee template: run fit-locator first");
      }
      for (Path file : files) {
        if (locate) {
          for (GradeResult knee : grader.gradeWholeRadiograph(file)) {
            failures += knee.ok() ? 0 : 1;
            out.println(json ? JSON.writeValueAsString(knee) : describe(knee, grades));
          }
          out.flush();
          continue;
        }
        GradeResult result;
        if (explainer == null) {
          result = grader.grade(file);
        } else {
          Grader.Analysis analysis = grader.analyse(file, true, camGrade);
          result = analysis.result();
          List<Heatmap> maps = result.grade() == null && camGrade == Grader.GRADED ? List.of() : explainer.heatmaps(analysis, methods);
          String stem = uniqueStem(file, stems);
          if (explainDir != null && !maps.isEmpty()) {
            result = result.withExplanations(explainer.write(explainDir, stem, analysis, maps));
          }
          if (dicom != null && result.ok() && DicomResults.isDicom(file)) {
            try {
              result = dicom.write(file, stem, result, analysis, maps);
            } catch (IOException e) {
              failures++;
              spec.commandLine().getErr().println(file + ": DICOM results not written: " + e.getMessage());
            }
          }
        }
        if (!result.ok()) {
          failures++;
        }
        out.println(json ? JSON.writeValueAsString(result) : describe(result, grades));
        out.flush();
      }
    }
    if (failures > 0 && !json) {
      spec.commandLine().getErr().printf("%d of %d inputs failed%n", failures, files.size());
    }
    return failures > 0 ? SOME_INPUTS_FAILED : 0;
  }

  /**
   * A segmentation model: per file the area and maximal width of each structure (mm where the file has a pixel
   * spacing), the mean predictive entropy inside the predicted structures, whether a reader must check it (the limit
   * fitted on val at training), and with --explain the mask overlay, the mask, the uncertainty map and the
   * probabilities.
   */
  private int segment(Path modelDir, List<Path> files, PrintWriter out) throws IOException {
    int failures = 0;
    Set<String> stems = new HashSet<>();
    try (var segmenter = org.rheumalens.segmentation.Segmenter.open(modelDir)) {
      var reader = org.rheumalens.imaging.RadiographReader.standard(segmenter.colourHandling());
      for (Path file : files) {
        long start = System.nanoTime();
        java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("file", file.toString());
        try {
          var s = segmenter.segment(reader.read(file));
          result.put("output", segmenter.task().primary().name());
          result.put("structures", s.sizes());
          result.put("uncertainty", java.util.Map.of("mean_structure_entropy", s.result().meanStructureEntropy()));
          result.put("needs_review", s.needsReview());
          if (s.needsReview()) {
            result.put("review_reasons", s.reviewReasons());
          }
          if (explainDir != null) {
            var written = org.rheumalens.segmentation.SegmentationOutputs.write(explainDir, uniqueStem(file, stems),
                s.plane(), s.result(), s.spacing());
            result.put("explanations", java.util.Map.of("overlay", written.overlayPng().toString(),
                "mask", written.maskPng().toString(), "uncertainty", written.uncertaintyPng().toString()));
          }
        } catch (org.rheumalens.imaging.ImageReadException e) {
          failures++;
          result.put("error", e.getMessage());
        }
        result.put("ms", (System.nanoTime() - start) / 1e6);
        out.println(json ? JSON.writeValueAsString(result) : result.toString());
        out.flush();
      }
    }
    return failures > 0 ? SOME_INPUTS_FAILED : 0;
  }

  /**
   * Region by region: the region model paints the regions of each whole image, each found one is cut out of the source
   * pixels and graded as a crop (one JSON object per region, with {@code region}), then one object per file sums each
   * score over its regions ({@code totals}), as a patient's Sharp/van der Heijde score sums its joints.
   */
  private int gradeRegions(Path modelDir, List<Path> files, PrintWriter out) throws IOException {
    int failures = 0;
    try (Grader grader = Grader.open(modelDir);
        var regionModel = org.rheumalens.segmentation.SegmentationModel.load(regionsDir)) {
      var regionTask = ManifestSegmentation.task(regionsDir);
      var reader = org.rheumalens.imaging.RadiographReader.standard(regionTask.colourHandling());
      for (Path file : files) {
        org.rheumalens.imaging.Radiograph source;
        try {
          source = reader.read(file);
        } catch (org.rheumalens.imaging.ImageReadException e) {
          failures++;
          out.println(json ? JSON.writeValueAsString(java.util.Map.of("file", file.toString(), "error", e.getMessage()))
              : "ERROR " + e.getMessage());
          continue;
        }
        var found = org.rheumalens.segmentation.RegionFinder.find(
            regionModel.predict(regionTask.prepareGeometry(source)), regionTask, source, regionMargin);
        java.util.Map<String, Double> totals = new java.util.LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (var region : found) {
          String name = file + "#" + region.name();
          GradeResult r = grader.analyse(name, Grader.cut(source, region.box(), name),
              org.rheumalens.measure.JointSpaceMeter.Side.UNKNOWN, false, Grader.GRADED).result();
          names.add(region.name());
          if (r.grade() != null) {
            RegionTotals.add(totals, grader.task(), r);
          }
          var node = JSON.valueToTree(r);
          ((com.fasterxml.jackson.databind.node.ObjectNode) node).putPOJO("region", java.util.Map.of("name", region.name(),
              "x", region.box().x(), "y", region.box().y(), "size", region.box().size()));
          out.println(json ? JSON.writeValueAsString(node) : describe(r, grader.task().grades()) + "  region " + region.name());
        }
        java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("file", file.toString());
        summary.put("regions", names);
        summary.put("totals", totals);
        out.println(json ? JSON.writeValueAsString(summary) : file + "  " + names.size() + " regions  totals " + totals);
        out.flush();
      }
    }
    return failures > 0 ? SOME_INPUTS_FAILED : 0;
  }

  private int parseGrade(String value, List<String> grades) {
    int byLabel = grades.indexOf(value.toUpperCase(Locale.ROOT));
    if (byLabel >= 0) {
      return byLabel;
    }
    try {
      int index = Integer.parseInt(value);
      if (index >= 0 && index < grades.size()) {
        return index;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "--explain-grade: '" + value + "' is not one of " + grades
        + " or an index 0.." + (grades.size() - 1));
  }

  /** File name without extension, made unique within the run (two folders may hold the same name). */
  private static String uniqueStem(Path file, Set<String> used) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String candidate = stem;
    for (int i = 2; !used.add(candidate); i++) {
      candidate = stem + "-" + i;
    }
    return candidate;
  }

  private static String describe(GradeResult r, List<String> grades) {
    if (!r.ok()) {
      return "ERROR " + r.error();
    }
    if (r.refused()) {
      return String.format(Locale.ROOT, "%s  REVIEW  %s  %.1f ms", r.file(), r.message(), r.ms());
    }
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < r.probabilities().length; i++) {
      p.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", r.probabilities()[i]));
    }
    String review = Boolean.TRUE.equals(r.needsReview()) ? "  REVIEW " + String.join(",", r.reviewReasons()) : "  auto-accept";
    return String.format(Locale.ROOT, "%s  %s  confidence %.3f  p=[%s]%s  %.1f ms%s%s%s",
        r.file(), grades.get(r.grade()), r.confidence(), p, review, r.ms(), jointSpace(r),
        r.knee() == null ? "" : String.format(Locale.ROOT, "  knee at (%.0f, %.0f) size %.0f", r.knee().box().x(),
            r.knee().box().y(), r.knee().box().size()),
        r.explanations() == null ? "" : "  heatmaps: " + String.join(" ", r.explanations().values()));
  }

  /** Minimum joint space widths: medial/lateral when the side is known, in mm where the file had a pixel spacing. */
  private static String jointSpace(GradeResult r) {
    var m = r.measurements();
    if (m == null) {
      return "";
    }
    if (m.side() == null) {
      return String.format(Locale.ROOT, "  JSW image-left %s / image-right %s", px(m.imageLeftPx()), px(m.imageRightPx()));
    }
    return String.format(Locale.ROOT, "  JSW (%s) medial %s / lateral %s", m.side(),
        m.medialMm() != null ? String.format(Locale.ROOT, "%.1f mm", m.medialMm()) : px(m.medialPx()),
        m.lateralMm() != null ? String.format(Locale.ROOT, "%.1f mm", m.lateralMm()) : px(m.lateralPx()));
  }

  private static String px(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f px", v);
  }
}
