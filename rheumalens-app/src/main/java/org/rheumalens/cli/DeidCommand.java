package org.rheumalens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.dicom.deid.ConfidentialityProfile;
import org.rheumalens.dicom.deid.Deidentifier;
import org.rheumalens.dicom.deid.UidMap;
import org.rheumalens.io.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rheumalens deid}: DICOM files de-identified by the PS3.15 Basic Application Level Confidentiality Profile. */
@Command(name = "deid", mixinStandardHelpOptions = true,
    description = "De-identify DICOM files and folders (PS3.15 Basic Application Level Confidentiality Profile): "
        + "identifying attributes removed or emptied, UIDs replaced consistently within the run, private attributes "
        + "removed, pixels unchanged; files whose pixels look like they carry text are named with a warning. "
        + "Exit code 1 if any input failed.")
final class DeidCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR") List<Path> inputs;
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Where the de-identified files go, named by their new SOP Instance UID (never by the source's name).")
  Path out;
  @Option(names = "--keep-dates", description = "Retain Longitudinal Temporal Information with Full Dates Option: keep "
      + "dates and times (not the birth date).")
  boolean keepDates;
  @Option(names = "--shift-dates", description = "Retain Longitudinal Temporal Information with Modified Dates Option: "
      + "each patient's dates move back by one random number of days (1-365), so intervals between studies stay true.")
  boolean shiftDates;
  @Option(names = "--uid-map", paramLabel = "FILE",
      description = "Where the original-to-new UID and patient mapping goes (default: DIR.uid-map.csv beside DIR, so that "
          + "sharing DIR does not share it).")
  Path uidMapFile;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (keepDates && shiftDates) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--keep-dates and --shift-dates exclude each other");
    }
    List<Path> files = InputFiles.expand(inputs);
    Files.createDirectories(out);
    UidMap uids = new UidMap();
    Deidentifier deid = new Deidentifier(new ConfidentialityProfile.Options(keepDates, shiftDates, false), uids);
    int failures = 0;
    int warned = 0;
    for (Path file : files) {
      if (!DicomResults.isDicom(file)) {
        failures++;
        stderr.println(file + ": not a DICOM file (no DICM preamble); only DICOM is de-identified here");
        continue;
      }
      try {
        // Named by the UID it will get, which the map hands out on first sight.
        Path target = out.resolve("tmp-" + System.nanoTime() + ".dcm");
        Deidentifier.Outcome outcome = deid.deidentify(file, target);
        // Two files of one instance (the same image in two encodings) both keep their copy.
        Path named = out.resolve(outcome.sopInstanceUid() + ".dcm");
        for (int n = 2; Files.exists(named); n++) {
          named = out.resolve(outcome.sopInstanceUid() + "-" + n + ".dcm");
        }
        Files.move(target, named);
        stdout.println(file + " -> " + named);
        for (String warning : outcome.warnings()) {
          stdout.println("  WARNING " + warning);
        }
        warned += outcome.warnings().isEmpty() ? 0 : 1;
      } catch (IOException e) {
        failures++;
        stderr.println(e.getMessage());
      }
      stdout.flush();
    }
    Path map = uidMapFile != null ? uidMapFile : out.toAbsolutePath().resolveSibling(out.getFileName() + ".uid-map.csv");
    uids.write(map);
    stderr.printf("%d of %d files de-identified, %d with warnings; UID map: %s%n", files.size() - failures,
        files.size(), warned, map);
    return failures > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
  }
}
