package org.rheumalens.ml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The grade of one input file, or why it could not be graded.
 *
 * @param file the input
 * @param grade most probable grade index, null when the file failed
 * @param probabilities one probability per grade, null when the file failed
 * @param confidence probability of the returned grade
 * @param ms wall time for this file: decode, preprocess and model
 * @param error the cause a user can act on, null on success
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GradeResult(
    @JsonProperty("file") String file,
    @JsonProperty("grade") Integer grade,
    @JsonProperty("probabilities") float[] probabilities,
    @JsonProperty("confidence") Float confidence,
    @JsonProperty("ms") double ms,
    @JsonProperty("error") String error) {

  public static GradeResult failed(String file, String error, double ms) {
    return new GradeResult(file, null, null, null, ms, error);
  }

  public boolean ok() {
    return error == null;
  }
}
