package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.testing.BadInputCorpus;
import org.rheumalens.testing.BadInputCorpus.Expect;
import org.rheumalens.testing.BadInputSummary;
import org.rheumalens.testing.SharedData;

/**
 * {@code rheumalens grade} over the generated bad-input corpus, in-process as a user runs it: one line per input (an
 * error naming the file and the cause, or a grade), the run going on to the end, no stack trace, exit code 1.
 */
class BadInputGradeIT {

  @TempDir Path dir;

  @Test
  void everyBadInputGetsOneLineWithItsCauseAndTheGoodOnesAreGraded() throws Exception {
    Path folder = dir.resolve("corpus");
    List<BadInputCorpus.Input> corpus = BadInputCorpus.write(folder);
    Captured run = Captured.of("grade", folder.toString());

    assertThat(run.cli().exitCode()).as("exit code when some inputs failed (docs/commands.md)")
        .isEqualTo(GradeCommand.SOME_INPUTS_FAILED);
    List<String> lines = run.cli().out().lines().toList();
    assertThat(lines).as("one line per input").hasSize(corpus.size());
    RadiographReader reader = RadiographReader.standard();
    BadInputSummary summary = new BadInputSummary("rheumalens grade over the bad-input corpus");
    List<String> problems = new ArrayList<>();
    int failed = 0;
    for (BadInputCorpus.Input input : corpus) {
      String file = input.file().toString();
      List<String> mine = lines.stream().filter(l -> l.startsWith(file + " ") || l.startsWith("ERROR " + file + ": ")).toList();
      if (mine.size() != 1) {
        problems.add(input.kind() + ": " + mine.size() + " lines name " + file);
        continue;
      }
      String line = mine.get(0);
      boolean error = line.startsWith("ERROR ");
      boolean readerRefuses = input.refusedBy(reader);
      // The knee model refuses DICOM files of another modality (CT, MR) by name after the reader read them.
      boolean wrongModality = input.wrongModalityFor(reader, "XR");
      if (error) {
        failed++;
        summary.refused(input, line);
        if (wrongModality) {
          if (!line.contains("wrong modality")) {
            problems.add(input.kind() + ": the cause should say 'wrong modality': " + line);
          }
        } else if (input.expect() == Expect.READ || !readerRefuses) {
          problems.add(input.kind() + " readable, yet: " + line);
        } else if (input.cause() != null && !line.contains(input.cause())) {
          problems.add(input.kind() + ": the cause should say '" + input.cause() + "': " + line);
        } else if (line.length() <= ("ERROR " + file + ": ").length()) {
          problems.add(input.kind() + ": no cause: " + line);
        }
      } else {
        summary.read(input);
        if (input.expect() == Expect.REFUSED || readerRefuses || wrongModality) {
          problems.add(input.kind() + " unreadable or of another modality, yet: " + line);
        }
      }
    }
    summary.report(Path.of("target/bad-input-grade.json"));
    assertThat(problems).isEmpty();
    assertThat(run.cli().err()).contains(failed + " of " + corpus.size() + " inputs failed");
    assertThat(run.everything()).as("no stack trace reaches the user").doesNotContain("\tat ").doesNotContain("Exception in");
    if (SharedData.optional("knee-kl").isPresent()) {
      // Made from a real knee crop, so graded, not only read (other body parts meet the OOD gate and get REVIEW).
      assertThat(lines).anyMatch(l -> l.matches(".*000-png-grey-8\\.png  KL\\d .*"));
    }
  }

  @Test
  void aRunOfGoodTiffAndBmpExportsExitsZero() throws Exception {
    List<String> good = BadInputCorpus.write(dir.resolve("corpus")).stream()
        .filter(i -> i.expect() == Expect.READ && (i.family().equals("tiff") || i.family().equals("bmp")))
        .map(i -> i.file().toString()).toList();
    assertThat(good).hasSizeGreaterThanOrEqualTo(6);
    List<String> args = new ArrayList<>(List.of("grade"));
    args.addAll(good);
    Captured run = Captured.of(args.toArray(String[]::new));
    assertThat(run.cli().exitCode()).as(run.cli().out() + run.cli().err()).isZero();
    assertThat(run.cli().out().lines()).hasSize(good.size()).noneMatch(l -> l.startsWith("ERROR"));
    if (SharedData.optional("knee-kl").isPresent()) {
      assertThat(run.cli().out().lines()).as("8/16-bit grey TIFF and BMP exports of a knee crop are graded")
          .allMatch(l -> l.matches(".*\\.(tif|bmp)  KL\\d .*"));
    }
  }

  /** A CLI run with the JVM's own standard streams captured too: libraries print there, not to picocli's writers. */
  private record Captured(CliRun cli, String system) {

    static Captured of(String... args) {
      PrintStream out = System.out;
      PrintStream err = System.err;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      System.setOut(capture);
      System.setErr(capture);
      try {
        return new Captured(CliRun.of(args), bytes.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
    }

    String everything() {
      return cli.out() + cli.err() + system;
    }
  }
}
