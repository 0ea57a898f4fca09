package org.rheumalens.server.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rheumalens.measure.JointSpaceWidth;

/** The stored joint space measurement (the JSON of a {@link JointSpaceWidth}) for the reports. */
final class JointSpaceText {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JointSpaceText() {}

  /**
   * One compartment's minimum width: pixels of the model input, millimetres where the spacing was known.
   * {@code compartment} is medial, lateral, image-left or image-right.
   */
  record Width(String compartment, Double px, Double mm) {}

  /** One line for a report. */
  static String describe(String measurementsJson) {
    JointSpaceWidth m = read(measurementsJson);
    if (m == null) {
      return "Minimum joint space width: not measured";
    }
    List<Width> widths = compartments(m);
    return String.format(Locale.ROOT, "Minimum joint space width (%s): %s %s, %s %s",
        m.side() == null ? "side unknown" : m.side() + " knee",
        label(widths.get(0)), format(widths.get(0)), label(widths.get(1)), format(widths.get(1)));
  }

  /** The traced widths: medial and lateral when the side was known, else image left and right. */
  static List<Width> widths(String measurementsJson) {
    JointSpaceWidth m = read(measurementsJson);
    List<Width> traced = new ArrayList<>();
    if (m != null) {
      compartments(m).stream().filter(w -> w.px() != null).forEach(traced::add);
    }
    return traced;
  }

  private static List<Width> compartments(JointSpaceWidth m) {
    return m.side() != null
        ? List.of(new Width("medial", m.medialPx(), m.medialMm()), new Width("lateral", m.lateralPx(), m.lateralMm()))
        : List.of(new Width("image-left", m.imageLeftPx(), null), new Width("image-right", m.imageRightPx(), null));
  }

  private static JointSpaceWidth read(String measurementsJson) {
    if (measurementsJson == null) {
      return null;
    }
    try {
      return JSON.readValue(measurementsJson, JointSpaceWidth.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored measurements are not a joint space width: " + measurementsJson, e);
    }
  }

  private static String label(Width w) {
    return w.compartment().replace('-', ' ');
  }

  private static String format(Width w) {
    if (w.px() == null) {
      return "not traced";
    }
    return w.mm() != null
        ? String.format(Locale.ROOT, "%.1f mm (%.1f px)", w.mm(), w.px())
        : String.format(Locale.ROOT, "%.1f px", w.px());
  }
}
