package org.rheumalens.server.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CaseReport} as a FHIR R4 DiagnosticReport (JSON-ready maps): status final once a reader decided,
 * preliminary before; the AI grade and the reader's grade as contained Observations; the PDF as presentedForm.
 */
public final class FhirReport {

  /** The code system of a task's grades: one per task, named by its id. */
  static String gradeSystem(CaseReport report) {
    return "urn:rheumalens:codesystem:" + report.taskId();
  }
  static final String PSEUDONYM_SYSTEM = "urn:rheumalens:patient-pseudonym";

  private FhirReport() {}

  public static Map<String, Object> of(CaseReport report, String pdfUrl) {
    var image = report.image();
    var result = report.result();
    var decision = report.decision();
    String status = report.isFinal() ? "final" : "preliminary";
    Map<String, Object> dr = new LinkedHashMap<>();
    dr.put("resourceType", "DiagnosticReport");
    dr.put("id", "rheumalens-image-" + image.id());
    dr.put("status", status);
    // A narrative (dom-6): what a system that does not understand the codes shows.
    dr.put("text", Map.of("status", "generated", "div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">"
        + escape(report.taskTitle() + ": " + narrative(report)) + "</div>"));
    dr.put("category", List.of(Map.of("coding", List.of(Map.of("system", "http://terminology.hl7.org/CodeSystem/v2-0074",
        "code", "RAD", "display", "Radiology")))));
    dr.put("code", Map.of("text", report.taskTitle()));
    dr.put("subject", Map.of("identifier", Map.of("system", PSEUDONYM_SYSTEM, "value", image.patient())));
    if (image.studyDate() != null) {
      dr.put("effectiveDateTime", image.studyDate().toString());
    }
    dr.put("issued", report.issued().toString());
    List<Map<String, Object>> contained = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    if (result != null && result.grade() != null) {
      Map<String, Object> ai = observation("ai-grade", "preliminary", "AI: " + report.taskTitle(),
          result.grade(), report);
      ai.put("device", Map.of("display", "RheumaLens model " + result.modelName() + " " + result.modelVersion()));
      ai.put("note", List.of(Map.of("text", "probabilities " + result.probabilities() + ", confidence " + result.confidence()
          + (result.needsReview() ? ", flagged for review: " + String.join(", ", result.reviewReasons()) : ""))));
      contained.add(ai);
      results.add(Map.of("reference", "#ai-grade"));
      for (JointSpaceText.Width width : JointSpaceText.widths(result.measurements())) {
        String id = "jsw-" + width.compartment();
        contained.add(measured(id, "Minimum joint space width, " + width.compartment() + " compartment, by RheumaLens AI",
            width.mm(), "mm", width.px(), "pixel (224-pixel model input)", report));
        results.add(Map.of("reference", "#" + id));
      }
    }
    if (result != null && result.outline() != null) {
      for (var structure : result.outline().structures()) {
        String id = "area-" + structure.name().replaceAll("[^A-Za-z0-9.-]", "-");
        Map<String, Object> o = measured(id, "Area of the " + structure.name() + " outlined by RheumaLens AI",
            structure.areaMm2(), "mm2", structure.pixels(), "pixel (model input)", report);
        o.put("device", Map.of("display", "RheumaLens model " + result.modelName() + " " + result.modelVersion()));
        contained.add(o);
        results.add(Map.of("reference", "#" + id));
      }
    }
    if (decision != null) {
      Map<String, Object> fin = observation("reader-grade", "final", "Reader's decision: " + report.taskTitle(),
          decision.finalGrade(), report);
      fin.put("performer", List.of(Map.of("display", decision.readerName())));
      if (decision.reason() != null) {
        fin.put("note", List.of(Map.of("text", decision.reason())));
      }
      contained.add(fin);
      results.add(Map.of("reference", "#reader-grade"));
      dr.put("resultsInterpreter", List.of(Map.of("display", decision.readerName())));
    }
    if (!contained.isEmpty()) {
      dr.put("contained", contained);
      dr.put("result", results);
    }
    Integer conclusionGrade = decision != null ? Integer.valueOf(decision.finalGrade()) : result == null ? null : result.grade();
    if (conclusionGrade != null) {
      dr.put("conclusion", (decision != null ? "Reader: " : "AI, not yet reviewed: ") + report.gradeLabel(conclusionGrade));
      dr.put("conclusionCode", List.of(gradeConcept(conclusionGrade, report)));
    } else if (result != null && result.outline() != null) {
      dr.put("conclusion", narrative(report));
    } else if (result != null && result.message() != null) {
      dr.put("conclusion", result.message());
    }
    dr.put("presentedForm", List.of(Map.of("contentType", "application/pdf", "url", pdfUrl,
        "title", "RheumaLens report, image " + image.id())));
    return dr;
  }

  private static Map<String, Object> observation(String id, String status, String text, int grade, CaseReport report) {
    Map<String, Object> o = observed(id, status, text, report);
    o.put("valueCodeableConcept", gradeConcept(grade, report));
    return o;
  }

  /** An AI measurement: in {@code ucum} units where the image stated its pixel spacing, else in model-input pixels. */
  private static Map<String, Object> measured(String id, String text, Number value, String ucum, Number pixels,
      String pixelUnit, CaseReport report) {
    Map<String, Object> o = observed(id, "preliminary", text, report);
    o.put("valueQuantity", value != null
        ? Map.of("value", value, "unit", ucum, "system", "http://unitsofmeasure.org", "code", ucum)
        : Map.of("value", pixels, "unit", pixelUnit, "system", "http://unitsofmeasure.org", "code", "{pixel}"));
    return o;
  }

  private static Map<String, Object> observed(String id, String status, String text, CaseReport report) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("resourceType", "Observation");
    o.put("id", id);
    o.put("status", status);
    o.put("code", Map.of("text", text));
    o.put("subject", Map.of("identifier", Map.of("system", PSEUDONYM_SYSTEM, "value", report.image().patient())));
    effective(o, report);
    return o;
  }

  /** When it was observed: the (de-identified) study date, as the report's own effective date. */
  private static void effective(Map<String, Object> observation, CaseReport report) {
    if (report.image().studyDate() != null) {
      observation.put("effectiveDateTime", report.image().studyDate().toString());
    }
  }

  private static String narrative(CaseReport report) {
    var decision = report.decision();
    var result = report.result();
    if (result != null && result.outline() != null) {
      return "AI outline " + result.outline().summary() + (report.outlineDecisions().isEmpty() ? ", not yet reviewed"
          : "; reader: " + String.join(", ", report.outlineDecisions().stream()
              .map(o -> o.action() + " " + o.structure() + " (" + o.readerName() + ")").toList()));
    }
    if (decision != null) {
      return "reader's grade " + report.gradeLabel(decision.finalGrade()) + " (" + decision.readerName() + ")";
    }
    if (result != null && result.grade() != null) {
      return "AI grade " + report.gradeLabel(result.grade()) + ", not yet reviewed";
    }
    return result != null && result.message() != null ? result.message() : "no result yet";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static Map<String, Object> gradeConcept(int grade, CaseReport report) {
    return Map.of("coding", List.of(Map.of("system", gradeSystem(report), "code", report.gradeLabel(grade),
        "display", report.taskTitle() + ": " + report.gradeLabel(grade))));
  }
}
