package org.rheumalens.dicom.out;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a measurement report says about one image, independent of where the result came from (the command line's
 * grade, or a case a reader signed in the review app).
 *
 * @param taskId the task's id (tracking identifier)
 * @param taskTitle the task's human name
 * @param outputs each output's reading, the task's primary output first; empty when the model declined to grade
 * @param probabilities calibrated probability per class of the primary output, in class order
 * @param confidence calibrated probability of the primary output's class; null when not graded
 * @param needsReview whether a reader must check the result
 * @param reviewReasons why
 * @param measurements measurements with units (joint space widths)
 * @param notGraded why the model declined to grade (out of distribution); null when it graded
 * @param model which model produced the result
 * @param review whether a reader confirmed or changed it
 */
public record ReportContent(String taskId, String taskTitle, List<Output> outputs, Map<String, Double> probabilities,
    Double confidence, boolean needsReview, List<String> reviewReasons, List<Measurement> measurements,
    String notGraded, ModelIdentity model, ReaderReview review) {

  public ReportContent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(model, "model");
    outputs = List.copyOf(outputs);
    probabilities = probabilities == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    reviewReasons = reviewReasons == null ? List.of() : List.copyOf(reviewReasons);
    measurements = measurements == null ? List.of() : List.copyOf(measurements);
    review = review == null ? ReaderReview.NOT_REVIEWED : review;
  }

  /** One output's reading: a class label (ordinal, binary, categorical) or a value (regression). */
  public record Output(String name, String label, Double value) {}

  /**
   * A measured quantity.
   *
   * @param name a short name (the concept's code, 16 characters at most)
   * @param meaning what it is, for a person
   * @param value the value
   * @param ucum its unit as a UCUM code (e.g. mm)
   * @param unitMeaning the unit for a person (e.g. millimeter)
   */
  public record Measurement(String name, String meaning, double value, String ucum, String unitMeaning) {}

  /** The model: name, version and the SHA-256 of its card (which pins its weights' training and settings). */
  public record ModelIdentity(String name, String version, String cardSha256) {}

  /**
   * Whether and how a reader reviewed the result.
   *
   * @param readerLabel the reader's own reading of the primary output
   * @param readerName the reader as a person's name
   * @param readerLogin the reader's user name in the review app (null where there is none)
   * @param at when the reader decided
   * @param reason the reader's reason (an override's); may be null
   */
  public record ReaderReview(Status status, String readerLabel, String readerName, String readerLogin, Instant at,
      String reason) {

    public static final ReaderReview NOT_REVIEWED = new ReaderReview(Status.NOT_REVIEWED, null, null, null, null, null);

    public enum Status { NOT_REVIEWED, CONFIRMED, CHANGED }

    public ReaderReview {
      if (status != Status.NOT_REVIEWED && (readerLabel == null || readerName == null || at == null)) {
        throw new IllegalArgumentException("a reviewed result names the reader, their grade and when");
      }
    }
  }
}
