package org.rheumalens.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.eval.AgreementKind;
import org.rheumalens.eval.AgreementReport;
import org.rheumalens.eval.Bootstrap;
import org.rheumalens.eval.PairedRatings;
import org.rheumalens.io.CsvTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rheumalens agree}: agreement between two readers (or the AI and a reader) on one column of two CSVs. */
@Command(name = "agree", mixinStandardHelpOptions = true,
    description = {"Agreement between two readers (or the AI and a reader) on one column of two CSV files, rows joined "
        + "on a key column: Cohen's and weighted kappas for grades and labels, ICC(2,1) and Bland-Altman limits for "
        + "numbers, each with a 95%% bootstrap interval.",
        "Prints a summary; with --out also writes agreement.json and crosstab.png or bland_altman.png."})
final class AgreeCommand implements Callable<Integer> {

  /** Exit code for input the command cannot use (a missing file or column, a value that does not fit). */
  static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;
  @Parameters(index = "0", paramLabel = "A.csv", description = "The first reader's CSV (differences are A - B).") Path first;
  @Parameters(index = "1", paramLabel = "B.csv", description = "The second reader's CSV.") Path second;
  @Option(names = "--column", required = true, description = "The column to compare, e.g. kl.") String column;
  @Option(names = "--key", defaultValue = "image",
      description = "The column that says which case a row is (default ${DEFAULT-VALUE}).") String key;
  @Option(names = "--kind", description = "${COMPLETION-CANDIDATES} (default: inferred; whole numbers with few "
      + "distinct values are ordinal, other numbers measurements, anything else categorical).") AgreementKind kind;
  @Option(names = "--classes", split = ",", paramLabel = "CLASS",
      description = "The categories in order, e.g. 0,1,2,3,4 (default: those seen; whole numbers fill the gaps).")
  List<String> classes;
  @Option(names = "--out", paramLabel = "DIR", description = "Folder for agreement.json and the chart.") Path out;
  @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples for the 95%% intervals (default ${DEFAULT-VALUE}).")
  int resamples;
  @Option(names = "--seed", defaultValue = "42", description = "Seed of the resampling (default ${DEFAULT-VALUE}).") long seed;

  @Override
  public Integer call() throws IOException {
    AgreementReport report;
    try {
      PairedRatings ratings = PairedRatings.join(CsvTable.read(first), CsvTable.read(second), key, column);
      report = AgreementReport.compute(ratings, kind, classes, new Bootstrap(resamples, seed));
    } catch (NoSuchFileException e) {
      spec.commandLine().getErr().println("agree: " + e.getFile() + ": no such file");
      return BAD_INPUT;
    } catch (IllegalArgumentException | IOException e) {
      spec.commandLine().getErr().println("agree: " + e.getMessage());
      return BAD_INPUT;
    }
    if (classes != null && report.kind().numeric()) {
      spec.commandLine().getErr().println("agree: --classes is not used for " + report.kind().key() + " values");
    }
    spec.commandLine().getOut().print(report.summary());
    if (out != null) {
      for (Path file : report.write(out)) {
        spec.commandLine().getOut().println("  wrote " + file);
      }
    }
    return 0;
  }
}
