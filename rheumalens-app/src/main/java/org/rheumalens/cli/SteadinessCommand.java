package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.robustness.ArchiveCopy.Difference;
import org.rheumalens.robustness.SteadinessStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rheumalens steadiness}: how often a model's grade survives another archive's copy of the same knee (issue
 * 19's study: the raw look, crop, sharpening, noise, JPEG, bit depth, window, and all at once). A bench command: it
 * grades every image of the folder once per difference through the product path and records the result.
 */
@Command(name = "steadiness", mixinStandardHelpOptions = true,
    description = "Grade agreement between images and simulated copies of them from other archives (results to bench/results/).")
final class SteadinessCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--model", description = "Model folder (default: the bundled models/<task>).") Path model;
  @Option(names = "--images", description = "Folder with grade sub-folders (default: the shared data's <task>/val).")
  Path images;
  @Option(names = "--every", defaultValue = "1", description = "Take every N-th image (sorted by grade and name).") int every;
  @Option(names = "--differences", split = ",", description = "Which copies (default: all): ${COMPLETION-CANDIDATES}.")
  List<Difference> differences;
  @Option(names = "--seed", defaultValue = "19", description = "Seed of the copies (the same seed gives the same copies).") long seed;
  @Option(names = "--results", description = "Folder for the JSON record (default: bench/results under the home).")
  Path results;

  @Override
  public Integer call() throws Exception {
    Path modelDir = model != null ? model : ModelLocation.bundled(task);
    Path imagesDir = images != null ? images : BenchCommand.sharedData().resolve("data").resolve(task).resolve("val");
    List<Difference> chosen = differences == null || differences.isEmpty() ? Arrays.asList(Difference.values()) : differences;
    Path work = Files.createTempDirectory("rheumalens-steadiness");
    SteadinessStudy.Report report;
    try (Grader grader = Grader.open(modelDir).refuseOutOfDistribution(false)) {
      List<LabelledImage> all = LabelledImage.scanFolders(imagesDir, grader.task().classes());
      List<LabelledImage> picked = new ArrayList<>();
      for (int i = 0; i < all.size(); i += Math.max(every, 1)) {
        picked.add(all.get(i));
      }
      spec.commandLine().getErr().printf("steadiness: %d images x %d kinds of copy, model %s%n", picked.size(), chosen.size(), modelDir);
      report = SteadinessStudy.run(grader, modelDir.toString(), picked, chosen, seed, work, System.err);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Path resultsDir = Files.createDirectories(
        results != null ? results : ModelLocation.home().resolve("bench").resolve("results"));
    Path file = resultsDir.resolve("steadiness-" + BenchCommand.STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".json");
    JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%d images, accuracy of the originals %.3f%n", report.n(), report.originalAccuracy());
    out.printf("%-14s %9s %7s %7s %9s %14s%n", "copy", "agreement", "higher", "lower", "accuracy", "margin flipped");
    for (Map.Entry<String, SteadinessStudy.Outcome> e : report.differences().entrySet()) {
      SteadinessStudy.Outcome o = e.getValue();
      out.printf("%-14s %9.3f %7d %7d %9.3f %6.2f of %.2f%n", e.getKey(), o.agreement(), o.higher(), o.lower(),
          o.copyAccuracy(), o.flippedMarginMedian(), o.marginMedian());
    }
    if (report.rawLook() != null) {
      out.println("raw look (median of the copies) against the real raw copies: " + report.rawLook() + " vs " + report.realRaw());
    }
    out.flush();
    spec.commandLine().getErr().println("steadiness: results written to " + file);
    return 0;
  }
}
