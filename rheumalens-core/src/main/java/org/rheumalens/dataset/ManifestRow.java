package org.rheumalens.dataset;

import java.nio.file.Path;
import java.util.Map;

/**
 * One image of a manifest with its labels.
 *
 * @param row the spreadsheet row it came from (header: row 1), for messages
 * @param image the image file, resolved against the manifest's folder
 * @param labels each output's label as written, by output name
 * @param patient the patient id, or null where the manifest has none (the row is then its own patient)
 * @param attributes every other column (centre, device, sex, age ...), for subgroup analysis
 */
public record ManifestRow(int row, Path image, Map<String, String> labels, String patient,
    Map<String, String> attributes) {

  public ManifestRow {
    labels = Map.copyOf(labels);
    attributes = Map.copyOf(attributes);
  }

  /** The grouping key of the patient split: the patient, or the row itself when no patient is given. */
  public String patientKey() {
    return patient != null ? "patient:" + patient : "row:" + row;
  }
}
