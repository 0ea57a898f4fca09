package org.rheumalens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rheumalens.dicom.SourceImage;
import org.rheumalens.dicom.out.GradeReports;
import org.rheumalens.dicom.out.MeasurementReport;
import org.rheumalens.dicom.out.ReportContent;
import org.rheumalens.dicom.out.ReportContent.ReaderReview;
import org.rheumalens.dicom.out.WrittenObject;
import org.rheumalens.dicom.web.DicomWebClient;
import org.rheumalens.dicom.web.DicomWebException;
import org.rheumalens.dicom.web.PacsInstance;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Decision;
import org.rheumalens.server.store.SignedDecision;
import org.rheumalens.tasks.GradingTask;

/**
 * {@code pacs --push-decisions}: the decision a reader signed in the review app on an image {@code pacs} graded goes
 * back into the original study as a verified SR. The review store keeps no source identifiers, so the image is found by
 * the SHA-256 of its file, which {@code pacs} recorded when it graded it and the importer keys images by.
 */
final class DecisionPush {

  private final DicomWebClient pacs;
  private final PacsState state;
  private final List<Path> modelDirs;
  private final Path work;
  private final PrintWriter out;
  private final PrintWriter err;

  DecisionPush(DicomWebClient pacs, PacsState state, List<Path> modelDirs, Path work, PrintWriter out, PrintWriter err) {
    this.pacs = pacs;
    this.state = state;
    this.modelDirs = modelDirs;
    this.work = work;
    this.out = out;
    this.err = err;
  }

  /** One pass over the graded instances; returns 1 when some decision could not be stored (tried again next run). */
  int run(CaseStore cases) throws IOException {
    int stored = 0;
    int before = 0;
    int unsigned = 0;
    int unfinished = 0;
    for (Map.Entry<String, PacsState.Done> entry : state.instances().entrySet()) {
      String sop = entry.getKey();
      PacsState.Done done = entry.getValue();
      if (done.outcome() != PacsState.Outcome.GRADED || done.sha256() == null) {
        continue; // nothing was graded, or it was graded before pacs kept the hash that finds it in the review store
      }
      SignedDecision signed = cases.standingDecision(done.sha256()).orElse(null);
      if (signed == null) {
        unsigned++;
      } else if (done.reader() != null && done.reader().decision() == signed.decision().id()) {
        before++;
      } else {
        try {
          push(sop, done, signed, cases);
          stored++;
        } catch (DicomWebException e) {
          if (e.status() == 0) {
            throw e; // the PACS went away: the next run picks up here
          }
          unfinished++;
          err.println(sop + ": reader's decision not stored, tried again on the next run: " + e.getMessage());
        } catch (IOException e) {
          unfinished++;
          err.println(sop + ": reader's decision not stored, tried again on the next run: " + e.getMessage());
        } finally {
          out.flush();
        }
      }
    }
    out.printf(Locale.ROOT, "%d reader decisions stored, %d stored before, %d graded images not signed yet, %d to try "
        + "again (%s)%n", stored, before, unsigned, unfinished, pacs.base());
    out.flush();
    return unfinished > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
  }

  /** Writes the decision's SR, stores it into the source's study, then records it. */
  private void push(String sop, PacsState.Done done, SignedDecision signed, CaseStore cases) throws IOException {
    Decision decision = signed.decision();
    AiResult ai = cases.result(decision.imageId()).orElseThrow(() -> new IOException("the review app holds no AI "
        + "result for its image " + decision.imageId() + ", so there is no AI grade to confirm or change"));
    Path modelDir = modelDirOf(ai);
    GradingTask task = ModelCard.read(modelDir).gradingTask();
    List<String> labels = task.grades();
    boolean confirmed = Objects.equals(decision.aiGrade(), decision.finalGrade());
    ReaderReview review = new ReaderReview(confirmed ? ReaderReview.Status.CONFIRMED : ReaderReview.Status.CHANGED,
        labels.get(decision.finalGrade()), decision.readerName(), signed.readerLogin(), decision.decidedAt().toInstant(),
        decision.reason());
    ReportContent content = content(ai, task, GradeReports.modelIdentity(modelDir), review);

    List<MeasurementReport.Predecessor> predecessors = new ArrayList<>();
    predecessors.add(new MeasurementReport.Predecessor(done.report().series(), done.report().sop()));
    if (done.reader() != null) {
      predecessors.add(new MeasurementReport.Predecessor(done.reader().series(), done.reader().sop()));
    }
    Path source = work.resolve(sop + ".dcm");
    Files.write(source, pacs.fetch(new PacsInstance(done.study(), done.series(), sop, "", "")));
    WrittenObject sr;
    try {
      sr = MeasurementReport.writeReaderDecision(SourceImage.read(source), content, predecessors,
          work.resolve(sop + ".reader.sr.dcm"));
    } finally {
      Files.deleteIfExists(source);
    }
    try {
      pacs.store(done.study(), List.of(Files.readAllBytes(sr.file())));
    } finally {
      Files.deleteIfExists(sr.file());
    }
    state.readerReportStored(sop, new PacsState.ReaderReport(decision.id(), sr.seriesInstanceUid(), sr.sopInstanceUid(),
        Instant.now().toString()));
    out.println(sop + "  " + review.status() + " by " + signed.readerLogin() + ": " + review.readerLabel() + " (AI "
        + (ai.grade() == null ? "not graded" : labels.get(ai.grade())) + ")"
        + (done.reader() == null ? "" : "  supersedes " + done.reader().sop()) + "  stored " + sr.sopInstanceUid());
  }

  /** The folder of the model that graded the image in the review app, among {@code --model}'s. */
  private Path modelDirOf(AiResult ai) throws IOException {
    for (Path dir : modelDirs) {
      if (sameModel(dir, ai)) {
        return dir;
      }
    }
    throw new IOException("the review app graded it with model " + ai.modelName() + " " + ai.modelVersion()
        + ", which no --model folder holds (" + modelDirs + "): give that model's folder with --model");
  }

  private static boolean sameModel(Path dir, AiResult ai) {
    try {
      ModelCard card = ModelCard.read(dir);
      return card.name().equals(ai.modelName()) && card.version().equals(ai.modelVersion());
    } catch (IOException e) {
      return false;
    }
  }

  /** The AI's result as the reader saw it in the review app, with their review. */
  private static ReportContent content(AiResult ai, GradingTask task, ReportContent.ModelIdentity model,
      ReaderReview review) {
    List<String> labels = task.grades();
    List<ReportContent.Output> outputs = new ArrayList<>();
    Map<String, Double> probabilities = new LinkedHashMap<>();
    if (ai.grade() != null) {
      outputs.add(new ReportContent.Output(task.primary().name(), labels.get(ai.grade()), null));
      for (int k = 0; k < labels.size() && ai.probabilities() != null && k < ai.probabilities().size(); k++) {
        probabilities.put(labels.get(k), ai.probabilities().get(k));
      }
    }
    return new ReportContent(task.id(), task.title(), outputs, probabilities, ai.confidence(), ai.needsReview(),
        ai.reviewReasons(), List.of(), ai.grade() == null ? Objects.requireNonNullElse(ai.message(), "not graded") : null,
        model, review);
  }
}
