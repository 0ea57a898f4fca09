package org.rheumalens.cli;

import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rheumalens.dicom.SourceImage;
import org.rheumalens.dicom.web.DicomWebClient;
import org.rheumalens.dicom.web.DicomWebException;
import org.rheumalens.dicom.web.PacsInstance;
import org.rheumalens.explain.Explainer;
import org.rheumalens.explain.Heatmap;
import org.rheumalens.io.Sha256;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Database;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rheumalens pacs}: grades what a PACS holds over DICOMweb and stores the results back into each study: finds
 * instances (QIDO-RS), fetches them (WADO-RS), grades those a model takes, and stores its SR and heatmap capture
 * (STOW-RS). A state file keeps what is done, so no instance is graded twice, across polls and restarts. With
 * {@code --push-decisions} it stores the decisions readers signed in the review app instead ({@link DecisionPush}).
 */
@Command(name = "pacs", mixinStandardHelpOptions = true,
    description = "Grade the images in a PACS over DICOMweb and store a Comprehensive SR and a heatmap Secondary Capture "
        + "back into each one's study; with --push-decisions, store the decisions readers signed in the review app as "
        + "verified SRs into the same studies. Exit code 1 when an instance could not be finished (it is tried again "
        + "on the next run), 2 when the PACS or the review store cannot be reached.")
final class PacsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--dicomweb", required = true, paramLabel = "URL",
      description = "The PACS's DICOMweb root, e.g. http://pacs:8042/dicom-web.") String url;
  @ArgGroup(exclusive = true) Mode mode = new Mode();
  @Option(names = "--interval", defaultValue = "60", paramLabel = "S",
      description = "With --watch: seconds between polls (default ${DEFAULT-VALUE}).") double interval;
  @Option(names = "--polls", paramLabel = "N",
      description = "With --watch: stop after N polls (default: run until stopped).") Integer polls;
  @Mixin StoreOptions store = new StoreOptions();
  @Option(names = "--model", paramLabel = "DIR", description = "A model folder; repeat for several tasks, the first "
      + "that takes an image grades it (default: the bundled " + TaskOptions.DEFAULT_TASK + " model).") List<Path> models;
  @Option(names = "--state", paramLabel = "FILE", defaultValue = "data/pacs-state.json",
      description = "JSON file of the instances done and the objects stored for them (default: ${DEFAULT-VALUE}).")
  Path stateFile;
  @Option(names = "--tries", defaultValue = "4", paramLabel = "N",
      description = "Tries per DICOMweb call when the PACS does not answer or answers 5xx (default ${DEFAULT-VALUE}).")
  int tries;
  @Option(names = "--retry-wait", defaultValue = "1000", paramLabel = "MS",
      description = "Wait before the second try; each later wait doubles (default ${DEFAULT-VALUE} ms).") long retryWaitMs;

  static final class Mode {
    @Option(names = "--once", description = "One pass over the PACS, then exit (the default).") boolean once;
    @Option(names = "--watch", description = "Poll the PACS every --interval seconds.") boolean watch;
    @Option(names = "--push-decisions", description = "Store each reader's decision on an image graded here (and "
        + "imported into the review app of --data) as a verified SR in its original study; once per decision, a "
        + "later amendment supersedes it. --model names the models the review app grades with.")
    boolean pushDecisions;
  }

  /** One model ready to grade: the grader, its heatmap source and its DICOM writer. */
  private record Reader(Grader grader, Explainer explainer, DicomResults dicom, Set<String> modalities) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DicomWebClient pacs = new DicomWebClient(url, tries, Duration.ofMillis(retryWaitMs), err::println);
    PacsState state = PacsState.load(stateFile, pacs.base());
    List<Path> modelDirs = models == null || models.isEmpty()
        ? List.of(ModelLocation.bundled(TaskOptions.DEFAULT_TASK)) : models;
    if (mode.pushDecisions) {
      try (Database review = store.openExisting()) {
        Path work = Files.createTempDirectory("rheumalens-pacs");
        try {
          return new DecisionPush(pacs, state, modelDirs, work, out, err).run(new CaseStore(review.jdbi()));
        } finally {
          deleteTree(work);
        }
      }
    }
    Path work = Files.createTempDirectory("rheumalens-pacs");
    List<Reader> readers = new ArrayList<>();
    try {
      for (Path dir : modelDirs) {
        Grader grader = Grader.open(dir);
        readers.add(new Reader(grader, new Explainer(grader.model(), grader.task().grades()),
            new DicomResults(work, grader.task(), dir),
            PacsInstance.dicomModalities(grader.task().definition().modality())));
      }
      if (!mode.watch) {
        return poll(pacs, state, readers, work, out, err);
      }
      int failed = 0;
      for (int n = 1; polls == null || n <= polls; n++) {
        try {
          failed = poll(pacs, state, readers, work, out, err);
        } catch (DicomWebException e) {
          failed = RheumaLensCli.FAILED;
          err.println("rheumalens pacs: " + e.getMessage() + "; polling again in " + interval + " s");
        }
        if (polls == null || n < polls) {
          Thread.sleep((long) (interval * 1000));
        }
      }
      return failed;
    } finally {
      readers.forEach(r -> r.grader().close());
      deleteTree(work);
    }
  }

  /** One pass: every instance not done yet. Returns 1 when some could not be finished. */
  private int poll(DicomWebClient pacs, PacsState state, List<Reader> readers, Path work, PrintWriter out,
      PrintWriter err) throws IOException {
    int unfinished = 0;
    int graded = 0;
    for (PacsInstance instance : pacs.allInstances()) {
      if (state.known(instance.sop()) || instance.isReport()) {
        continue;
      }
      List<Reader> takers = readers.stream().filter(r -> r.modalities().contains(instance.modality())).toList();
      if (takers.isEmpty()) {
        String why = "modality " + instance.modality() + " is not one the models take";
        state.finish(instance.sop(), PacsState.Done.notGraded(instance.study(), PacsState.Outcome.REFUSED, why));
        out.println(instance.sop() + "  REFUSED  " + why);
        continue;
      }
      try {
        graded += finish(pacs, state, takers, instance, work, out) ? 1 : 0;
      } catch (DicomWebException e) {
        if (e.status() == 0) {
          throw e; // the PACS went away: the next run picks up here
        }
        unfinished++;
        err.println(instance.sop() + ": not finished, tried again on the next run: " + e.getMessage());
      } catch (IOException e) {
        // Writing the objects failed here (disk, a header the writers cannot use): one instance, not the run.
        unfinished++;
        err.println(instance.sop() + ": not finished, tried again on the next run: results not written: " + e.getMessage());
      } finally {
        out.flush();
      }
    }
    out.printf(Locale.ROOT, "%d graded and stored, %d to try again, %d instances done in all (%s)%n", graded,
        unfinished, state.instances().size(), stateFile);
    out.flush();
    return unfinished > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
  }

  /**
   * Fetches, grades and stores the results of one instance, then records it. Returns whether it was graded; a
   * refusal or an unreadable image is recorded too (nothing is stored for it).
   */
  private boolean finish(DicomWebClient pacs, PacsState state, List<Reader> takers, PacsInstance instance, Path work,
      PrintWriter out) throws IOException {
    String sop = instance.sop();
    String study = instance.study();
    Path file = work.resolve(sop + ".dcm");
    byte[] content = pacs.fetch(instance);
    Files.write(file, content);
    try {
      GradeResult first = null;
      for (Reader reader : takers) {
        Grader.Analysis analysis = reader.grader().analyse(file, true, Grader.GRADED);
        GradeResult result = analysis.result();
        if (!result.ok() || result.refused()) {
          first = first == null ? result : first;
          continue;
        }
        List<Heatmap> maps = reader.explainer().heatmaps(analysis, EnumSet.of(Explainer.Method.GRADCAM));
        GradeResult written = reader.dicom().write(file, sop, result, analysis, maps);
        List<Path> objects = Stream.of("dicom_sr", "dicom_heatmap").map(written.explanations()::get)
            .filter(Objects::nonNull).map(Path::of).toList();
        List<byte[]> bytes = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        for (Path object : objects) {
          bytes.add(Files.readAllBytes(object));
          uids.add(SourceImage.read(object).text(TagFromName.SOPInstanceUID));
        }
        // The SR comes first (dicom_sr): a reader's decision names it as the report it follows.
        var report = new PacsState.StoredReport(SourceImage.read(objects.get(0)).seriesInstanceUid(), uids.get(0));
        pacs.store(study, bytes);
        String label = reader.grader().task().grades().get(result.grade());
        String summary = String.format(Locale.ROOT, "%s %s confidence %.3f%s", reader.grader().task().id(), label,
            result.confidence(), Boolean.TRUE.equals(result.needsReview()) ? " needs review" : "");
        // The file's SHA-256 is how the review store's importer keys the same image: --push-decisions finds it by that.
        state.finish(sop, PacsState.Done.graded(study, instance.series(), Sha256.hex(content), summary,
            reader.grader().task().id(), uids, report));
        out.println(sop + "  GRADED  " + summary + "  stored " + String.join(" ", uids));
        objects.forEach(PacsCommand::deleteQuietly);
        return true;
      }
      PacsState.Outcome outcome = first.ok() ? PacsState.Outcome.REFUSED : PacsState.Outcome.ERROR;
      String why = first.ok() ? first.message() : first.error();
      state.finish(sop, PacsState.Done.notGraded(study, outcome, why));
      out.println(sop + "  " + outcome + "  " + why);
      return false;
    } finally {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file; the folder goes at the end of the run
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(PacsCommand::deleteQuietly);
    }
  }
}
