package org.rheumalens.ml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.locate.KneeLocator;
import org.rheumalens.measure.JointSpaceWidth;
import org.rheumalens.oversight.OodScore;

/**
 * The reading of one input file: its grade with calibrated probabilities and uncertainty, whether a reader must look
 * at it and why, or why it could not be graded at all.
 *
 * @param file the input
 * @param grade the grade index the model's decision rule gives; null when the file failed or was refused as out of distribution
 * @param probabilities one calibrated probability per grade; null when there is no grade
 * @param confidence calibrated probability of the returned grade
 * @param ms wall time for this file: decode, preprocess, model, gate
 * @param error why the file could not be read or graded (a cause a user can act on); null on success
 * @param ood the out-of-distribution score and whether it was flagged; null when the model has no gate
 * @param uncertainty Monte Carlo dropout uncertainty; null when there is no grade
 * @param needsReview whether a reader must check this result before it is used
 * @param reviewReasons why (low_confidence, borderline, ood, poor_image_quality, uncalibrated)
 * @param qualityProblems what is wrong with the image, when anything is
 * @param message a sentence for the reader when the model refused to grade
 * @param explanations explanation files written for this input, by method
 * @param measurements joint space widths measured on the model input, for tasks that measure them
 * @param knee where in a whole radiograph this knee was found (box in source pixels, side, match score)
 * @param outputs the task's secondary outputs by name ({@link OutputHeads#read}); null when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GradeResult(
    @JsonProperty("file") String file,
    @JsonProperty("grade") Integer grade,
    @JsonProperty("probabilities") float[] probabilities,
    @JsonProperty("confidence") Float confidence,
    @JsonProperty("ms") double ms,
    @JsonProperty("error") String error,
    @JsonProperty("ood") OodScore ood,
    @JsonProperty("uncertainty") Uncertainty uncertainty,
    @JsonProperty("needs_review") Boolean needsReview,
    @JsonProperty("review_reasons") List<String> reviewReasons,
    @JsonProperty("quality_problems") List<String> qualityProblems,
    @JsonProperty("message") String message,
    @JsonProperty("explanations") Map<String, String> explanations,
    @JsonProperty("measurements") JointSpaceWidth measurements,
    @JsonProperty("knee") KneeLocator.LocatedKnee knee,
    @JsonProperty("outputs") Map<String, Object> outputs) {

  public static GradeResult failed(String file, String error, double ms) {
    return new GradeResult(file, null, null, null, ms, error, null, null, null, null, null, null, null, null, null, null);
  }

  public boolean ok() {
    return error == null;
  }

  /** True when the model declined to grade (out of distribution). */
  public boolean refused() {
    return error == null && grade == null;
  }

  public GradeResult withExplanations(Map<String, String> files) {
    return new GradeResult(file, grade, probabilities, confidence, ms, error, ood, uncertainty, needsReview,
        reviewReasons, qualityProblems, message,
        // In the order written (an image before its raw values): Map.copyOf's order changes from run to run.
        Collections.unmodifiableMap(new LinkedHashMap<>(files)), measurements, knee, outputs);
  }

  public GradeResult withMeasurements(JointSpaceWidth jsw) {
    return new GradeResult(file, grade, probabilities, confidence, ms, error, ood, uncertainty, needsReview,
        reviewReasons, qualityProblems, message, explanations, jsw, knee, outputs);
  }

  public GradeResult withOutputs(Map<String, Object> readings) {
    return new GradeResult(file, grade, probabilities, confidence, ms, error, ood, uncertainty, needsReview,
        reviewReasons, qualityProblems, message, explanations, measurements, knee,
        readings == null || readings.isEmpty() ? null : readings);
  }

  public GradeResult withKnee(KneeLocator.LocatedKnee located) {
    return new GradeResult(file, grade, probabilities, confidence, ms, error, ood, uncertainty, needsReview,
        reviewReasons, qualityProblems, message, explanations, measurements, located, outputs);
  }
}
