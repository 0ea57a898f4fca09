package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.dataset.ManifestRow;
import org.rheumalens.eval.Bootstrap;
import org.rheumalens.eval.MetricsReport;
import org.rheumalens.eval.Subgroups;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.segmentation.ManifestSegmentation;
import org.rheumalens.tasks.GradingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rheumalens evaluate}: grades labelled images and writes metrics with bootstrap intervals, by subgroup. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a model on labelled images (a manifest CSV, or a folder with one sub-folder per class "
        + "index); writes OUT/metrics.json and OUT/confusion_matrix.png.")
final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin TaskOptions taskOptions;
  @Option(names = "--data", required = true,
      description = "A manifest CSV (image, the task's label columns, any others) or a folder with class sub-folders.")
  Path data;
  @Option(names = "--model", description = "Model folder (default: the bundled model of --task).") Path model;
  @Option(names = "--out", required = true) Path out;
  @Option(names = "--by", paramLabel = "COLUMN",
      description = "Also report the metrics per value of this manifest column (repeatable), flagging subgroups "
          + "significantly worse than the rest (95%% bootstrap interval of the accuracy difference below 0).")
  List<String> by = new ArrayList<>();
  @Option(names = "--sum-by", paramLabel = "COLUMN",
      description = "Also add up each score per value of this column and compare the totals (e.g. --sum-by patient for "
          + "a Sharp/van der Heijde total from one row per joint).")
  String sumBy;
  @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for the 95%% intervals.") int resamples;
  @Option(names = "--seed", defaultValue = "42") long seed;

  @Override
  public Integer call() throws Exception {
    Path modelDir = taskOptions.modelFor(model);
    if (ManifestSegmentation.isSegmentationModel(modelDir)) {
      return evaluateSegmentation(modelDir);
    }
    try (Grader grader = Grader.open(modelDir)) {
      GradingTask task = grader.task();
      boolean manifest = Manifest.isManifest(data);
      if ((!by.isEmpty() || sumBy != null) && !manifest) {
        throw new ParameterException(spec.commandLine(), "--by and --sum-by need a manifest CSV as --data (a folder has no columns)");
      }
      List<LabelledImage> images;
      List<ManifestRow> rows = null;
      if (manifest) {
        Manifest m = Manifest.read(data, task.definition());
        for (String column : sumBy == null ? by : concat(by, sumBy)) {
          if (!m.attributeColumns().contains(column) && !Manifest.PATIENT.equals(column)) {
            throw new ParameterException(spec.commandLine(), "--by " + column + ": no such column in " + data
                + " (columns to group by: " + m.attributeColumns() + ")");
          }
        }
        images = m.labelled(task.primary());
        rows = m.rows();
      } else {
        images = LabelledImage.scanFolders(data, task.classes());
      }
      List<Integer> truth = new ArrayList<>();
      List<Integer> predicted = new ArrayList<>();
      Map<String, List<String>> groups = new LinkedHashMap<>();
      by.forEach(c -> groups.put(c, new ArrayList<>()));
      int failures = 0;
      int flagged = 0;
      // Metrics judge the grader on every labelled image; the gate's flags are counted, not obeyed.
      grader.refuseOutOfDistribution(false);
      List<GradeResult> results = grader.gradeBatched(images.stream().map(LabelledImage::file).toList(), 32);
      for (int i = 0; i < results.size(); i++) {
        GradeResult r = results.get(i);
        if (r.ok()) {
          truth.add(images.get(i).grade());
          predicted.add(r.grade());
          flagged += r.ood() != null && r.ood().flagged() ? 1 : 0;
          for (String column : by) {
            ManifestRow row = rows.get(i);
            groups.get(column).add(Manifest.PATIENT.equals(column) ? row.patient() : row.attributes().get(column));
          }
        } else {
          failures++;
          spec.commandLine().getErr().println("ERROR " + r.error());
        }
      }
      if (truth.isEmpty()) {
        spec.commandLine().getErr().println("no image of " + data + " could be graded; no metrics written");
        return GradeCommand.SOME_INPUTS_FAILED;
      }
      ModelCard card = grader.model().card();
      Bootstrap bootstrap = new Bootstrap(resamples, seed);
      int[] truthArray = toArray(truth);
      int[] predictedArray = toArray(predicted);
      MetricsReport report = MetricsReport.compute(task.grades(), truthArray, predictedArray, bootstrap)
          .withModel(Map.of("name", card.name(), "version", card.version(), "task", card.taskId()))
          .withData(Map.of(manifest ? "manifest" : "folder", data.toString(), "images", images.size(),
              "failed", failures, "ood_flagged", flagged));
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put(task.primary().name(), report.outputMetrics());
      if (rows != null) {
        outputs.putAll(SecondaryOutputs.metrics(task, rows, results, bootstrap));
      }
      report = report.with("outputs", outputs);
      if (!by.isEmpty()) {
        report = report.with("subgroups",
            Subgroups.compute(task.classes(), truthArray, predictedArray, groups, bootstrap).toJson());
      }
      if (sumBy != null) {
        report = report.with("totals", PatientTotals.of(task, sumBy, rows, results));
      }
      report.write(out);
      spec.commandLine().getOut().printf("n=%d accuracy %.4f [%.4f, %.4f]  QWK %.4f [%.4f, %.4f]  MAE %.4f  -> %s%n",
          report.metrics().n(), report.metrics().accuracy(), report.ci95().get("accuracy").lower(),
          report.ci95().get("accuracy").upper(), report.metrics().quadraticWeightedKappa(),
          report.ci95().get("quadratic_weighted_kappa").lower(), report.ci95().get("quadratic_weighted_kappa").upper(),
          report.metrics().meanAbsoluteError(), out.resolve(MetricsReport.JSON_FILE));
      return failures > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
    }
  }

  /** A segmentation model: Dice, IoU and HD95 by class on a manifest's masks. */
  private int evaluateSegmentation(Path modelDir) throws Exception {
    GradingTask task = ManifestSegmentation.task(modelDir);
    if (!Manifest.isManifest(data)) {
      throw new ParameterException(spec.commandLine(), "a segmentation model is evaluated on a manifest CSV with mask paths");
    }
    Map<String, Object> metrics = new LinkedHashMap<>(ManifestSegmentation.evaluate(modelDir, Manifest.read(data, task.definition())));
    metrics.put("outputs", Map.of(task.primary().name(), new LinkedHashMap<>(metrics)));
    metrics.put("model", Map.of("folder", modelDir.toString(), "task", task.id()));
    metrics.put("data", Map.of("manifest", data.toString()));
    java.nio.file.Files.createDirectories(out);
    new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(out.resolve(MetricsReport.JSON_FILE).toFile(), metrics);
    spec.commandLine().getOut().printf("n=%s mean Dice %s, Dice by class %s -> %s%n", metrics.get("n"),
        metrics.get("mean_dice"), metrics.get("dice"), out.resolve(MetricsReport.JSON_FILE));
    return 0;
  }

  private static List<String> concat(List<String> columns, String more) {
    List<String> all = new ArrayList<>(columns);
    all.add(more);
    return all;
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
