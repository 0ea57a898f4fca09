package org.rheumalens.dicom.out;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.io.Sha256;
import org.rheumalens.measure.JointSpaceWidth;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.ModelCard;
import org.rheumalens.tasks.GradingTask;

/** A command-line {@link GradeResult} as {@link ReportContent}: not reviewed by a reader. */
public final class GradeReports {

  private GradeReports() {}

  /** The model in {@code modelDir}: its card's name and version, and the SHA-256 of the card file. */
  public static ReportContent.ModelIdentity modelIdentity(Path modelDir) throws IOException {
    ModelCard card = ModelCard.read(modelDir);
    MessageDigest digest = Sha256.newDigest();
    digest.update(Files.readAllBytes(modelDir.resolve(ModelCard.FILE)));
    return new ReportContent.ModelIdentity(card.name(), card.version(), Sha256.hex(digest));
  }

  /** The report content of a graded (or refused) result; a failed result has none. */
  public static ReportContent content(GradeResult r, GradingTask task, ReportContent.ModelIdentity model) {
    if (!r.ok()) {
      throw new IllegalArgumentException(r.file() + " failed (" + r.error() + "): there is nothing to report");
    }
    List<ReportContent.Output> outputs = new ArrayList<>();
    Map<String, Double> probabilities = new LinkedHashMap<>();
    if (r.grade() != null) {
      List<String> labels = task.grades();
      outputs.add(new ReportContent.Output(task.primary().name(), labels.get(r.grade()), null));
      for (int k = 0; k < r.probabilities().length; k++) {
        probabilities.put(labels.get(k), (double) r.probabilities()[k]);
      }
      if (r.outputs() != null) {
        r.outputs().forEach((name, reading) -> outputs.add(output(name, reading)));
      }
    }
    return new ReportContent(task.id(), task.title(), outputs, probabilities,
        r.confidence() == null ? null : r.confidence().doubleValue(), Boolean.TRUE.equals(r.needsReview()),
        r.reviewReasons(), measurements(r.measurements()), r.refused() ? r.message() : null, model,
        ReportContent.ReaderReview.NOT_REVIEWED);
  }

  private static ReportContent.Output output(String name, Object reading) {
    Map<?, ?> m = (Map<?, ?>) reading;
    Object label = m.get("label");
    Object value = m.get("value");
    return new ReportContent.Output(name, label == null ? null : label.toString(),
        value instanceof Number n ? n.doubleValue() : null);
  }

  /**
   * Joint space widths: medial and lateral in mm where the side and pixel spacing are known, else per image side in
   * model-input pixels (UCUM annotation {pixel}), so a width is never shown in a unit it was not measured in.
   */
  public static List<ReportContent.Measurement> measurements(JointSpaceWidth w) {
    List<ReportContent.Measurement> out = new ArrayList<>();
    if (w == null) {
      return out;
    }
    add(out, "jsw-medial", "Minimum joint space width, medial", w.medialMm(), w.medialPx());
    add(out, "jsw-lateral", "Minimum joint space width, lateral", w.lateralMm(), w.lateralPx());
    if (w.side() == null) {
      add(out, "jsw-img-left", "Minimum joint space width, image left", null, w.imageLeftPx());
      add(out, "jsw-img-right", "Minimum joint space width, image right", null, w.imageRightPx());
    }
    return out;
  }

  private static void add(List<ReportContent.Measurement> out, String name, String meaning, Double mm, Double px) {
    if (mm != null) {
      out.add(new ReportContent.Measurement(name, meaning, mm, "mm", "millimeter"));
    } else if (px != null) {
      out.add(new ReportContent.Measurement(name + "-px", meaning + " (model-input pixels)", px, "{pixel}", "pixel"));
    }
  }
}
