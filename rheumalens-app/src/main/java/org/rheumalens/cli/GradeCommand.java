package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rheumalens grade}: grades files and folders with the bundled (or a given) model. */
@Command(name = "grade", mixinStandardHelpOptions = true,
    description = "Grade images (PNG, JPEG, DICOM). Folders are walked. Exit code 1 when any input failed.")
final class GradeCommand implements Callable<Integer> {

  static final int SOME_INPUTS_FAILED = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR") List<Path> inputs;
  @Option(names = "--json", description = "One JSON object per line.") boolean json;
  @Option(names = "--task", defaultValue = "knee-kl") String task;
  @Option(names = "--model", description = "Model folder (default: the bundled models/<task>).") Path model;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = expand(inputs);
    int failures = 0;
    try (Grader grader = Grader.open(model != null ? model : ModelLocation.bundled(task))) {
      List<String> grades = grader.task().grades();
      for (Path file : files) {
        GradeResult result = grader.grade(file);
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

  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(input); // a missing file is reported by the grader, not here
      }
    }
    return files;
  }

  private static String describe(GradeResult r, List<String> grades) {
    if (!r.ok()) {
      return "ERROR " + r.error();
    }
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < r.probabilities().length; i++) {
      p.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", r.probabilities()[i]));
    }
    return String.format(Locale.ROOT, "%s  %s  confidence %.3f  p=[%s]  %.1f ms",
        r.file(), grades.get(r.grade()), r.confidence(), p, r.ms());
  }
}
