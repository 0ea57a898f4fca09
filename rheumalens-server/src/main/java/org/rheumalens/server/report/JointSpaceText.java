package org.rheumalens.server.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** The stored joint space measurement (JSON of a JointSpaceWidth) as one line for a report. */
final class JointSpaceText {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JointSpaceText() {}

  static String describe(String measurementsJson) {
    if (measurementsJson == null) {
      return "Minimum joint space width: not measured";
    }
    JsonNode m;
    try {
      m = JSON.readTree(measurementsJson);
    } catch (IOException e) {
      throw new UncheckedIOException("stored measurements are not JSON: " + measurementsJson, e);
    }
    if (m.hasNonNull("side")) {
      return String.format(Locale.ROOT, "Minimum joint space width (%s knee): medial %s, lateral %s", m.get("side").asText(),
          width(m, "jsw_medial_px", "jsw_medial_mm"), width(m, "jsw_lateral_px", "jsw_lateral_mm"));
    }
    return "Minimum joint space width (side unknown): image left " + width(m, "jsw_image_left_px", null)
        + ", image right " + width(m, "jsw_image_right_px", null);
  }

  /** One measured compartment width, in mm where the spacing was known, else in model-input pixels. */
  record Width(String compartment, double value, boolean millimetres) {}

  /** The widths a stored measurement holds: medial and lateral when the side was known, else image left and right. */
  static java.util.List<Width> widths(String measurementsJson) {
    if (measurementsJson == null) {
      return java.util.List.of();
    }
    JsonNode m;
    try {
      m = JSON.readTree(measurementsJson);
    } catch (IOException e) {
      throw new UncheckedIOException("stored measurements are not JSON: " + measurementsJson, e);
    }
    String[][] keys = m.hasNonNull("side")
        ? new String[][] {{"medial", "jsw_medial_px", "jsw_medial_mm"}, {"lateral", "jsw_lateral_px", "jsw_lateral_mm"}}
        : new String[][] {{"image-left", "jsw_image_left_px", null}, {"image-right", "jsw_image_right_px", null}};
    java.util.List<Width> out = new java.util.ArrayList<>();
    for (String[] k : keys) {
      if (k[2] != null && m.hasNonNull(k[2])) {
        out.add(new Width(k[0], m.get(k[2]).asDouble(), true));
      } else if (m.hasNonNull(k[1])) {
        out.add(new Width(k[0], m.get(k[1]).asDouble(), false));
      }
    }
    return out;
  }

  private static String width(JsonNode m, String px, String mm) {
    if (!m.hasNonNull(px)) {
      return "not traced";
    }
    if (mm != null && m.hasNonNull(mm)) {
      return String.format(Locale.ROOT, "%.1f mm (%.1f px)", m.get(mm).asDouble(), m.get(px).asDouble());
    }
    return String.format(Locale.ROOT, "%.1f px", m.get(px).asDouble());
  }
}
