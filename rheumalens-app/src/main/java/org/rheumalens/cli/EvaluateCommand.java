package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rheumalens.eval.Bootstrap;
import org.rheumalens.eval.MetricsReport;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code rheumalens evaluate}: grades a labelled folder and writes metrics with bootstrap intervals. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a model on a folder with sub-folders 0..4 of images; writes OUT/metrics.json and OUT/confusion_matrix.png.")
final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--data", required = true, description = "Folder with grade sub-folders (the layout of val/).") Path data;
  @Option(names = "--model", description = "Model folder (default: the bundled models/<task>).") Path model;
  @Option(names = "--out", required = true) Path out;
  @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for the 95% intervals.") int resamples;
  @Option(names = "--seed", defaultValue = "42") long seed;

  @Override
  public Integer call() throws Exception {
    GradingTask gradingTask = Tasks.byId(task);
    List<LabelledImage> images = LabelledImage.scanFolders(data, gradingTask.classes());
    List<Integer> truth = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    int failures = 0;
    int flagged = 0;
    try (Grader grader = Grader.open(model != null ? model : ModelLocation.bundled(task))) {
      // Metrics judge the grader on every labelled image; the gate's flags are counted, not obeyed.
      grader.refuseOutOfDistribution(false);
      List<GradeResult> results = grader.gradeBatched(images.stream().map(LabelledImage::file).toList(), 32);
      for (int i = 0; i < results.size(); i++) {
        GradeResult r = results.get(i);
        if (r.ok()) {
          truth.add(images.get(i).grade());
          predicted.add(r.grade());
          flagged += r.ood() != null && r.ood().flagged() ? 1 : 0;
        } else {
          failures++;
          spec.commandLine().getErr().println("ERROR " + r.error());
        }
      }
      ModelCard card = grader.model().card();
      MetricsReport report = MetricsReport.compute(gradingTask.grades(), toArray(truth), toArray(predicted),
              new Bootstrap(resamples, seed))
          .withModel(Map.of("name", card.name(), "version", card.version(), "task", card.taskId()))
          .withData(Map.of("folder", data.toString(), "images", images.size(), "failed", failures,
              "ood_flagged", flagged));
      report.write(out);
      spec.commandLine().getOut().printf("n=%d accuracy %.4f [%.4f, %.4f]  QWK %.4f [%.4f, %.4f]  MAE %.4f  -> %s%n",
          report.metrics().n(), report.metrics().accuracy(), report.ci95().get("accuracy").lower(),
          report.ci95().get("accuracy").upper(), report.metrics().quadraticWeightedKappa(),
          report.ci95().get("quadratic_weighted_kappa").lower(), report.ci95().get("quadratic_weighted_kappa").upper(),
          report.metrics().meanAbsoluteError(), out.resolve(MetricsReport.JSON_FILE));
    }
    return failures > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
