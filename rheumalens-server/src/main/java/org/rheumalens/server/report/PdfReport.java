package org.rheumalens.server.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A one-page A4 PDF of a {@link CaseReport}: image with heatmap, AI grade, the reader's decision and name, model
 * version; for a segmentation task the mask overlay, each structure's size and the reader's verdict on each outline.
 */
public final class PdfReport {

  private static final float MARGIN = 50;

  private PdfReport() {}

  public static byte[] render(CaseReport report) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      float width = page.getMediaBox().getWidth();
      float y = page.getMediaBox().getHeight() - MARGIN;
      try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
        y = line(out, bold, 16, MARGIN, y, "RheumaLens report" + (report.isFinal() ? "" : " (PRELIMINARY)"));
        y = line(out, regular, 11, MARGIN, y, report.taskTitle());
        y -= 6;
        var image = report.image();
        y = line(out, regular, 10, MARGIN, y, String.format(Locale.ROOT, "Patient %s   Study date %s   Side %s   Image %d (%s)",
            image.patient(), image.studyDate() == null ? "unknown" : image.studyDate(),
            image.laterality() == null ? "unknown" : image.laterality(), image.id(), image.displayName()));
        float size = 250;
        PDImageXObject picture = LosslessFactory.createFromImage(doc, report.picture());
        out.drawImage(picture, MARGIN, y - size - 8, size, size);
        float textX = MARGIN + size + 20;
        float ty = y - 14;
        var r = report.result();
        ty = line(out, bold, 12, textX, ty, "AI reading");
        if (r == null) {
          ty = line(out, regular, 10, textX, ty, "not yet graded");
        } else if (r.outline() != null) {
          for (var structure : r.outline().structures()) {
            ty = line(out, regular, 10, textX, ty, structure.describe());
          }
          ty = line(out, regular, 9, textX, ty, String.format(Locale.ROOT,
              "Uncertainty (mean entropy inside the structures, 0-1): %.3f", r.uncertainty()));
          ty = line(out, regular, 10, textX, ty, r.needsReview() ? "Triage: review (" + String.join(", ", r.reviewReasons()) + ")"
              : "Triage: auto-accept");
        } else if (r.grade() == null) {
          ty = wrapped(out, regular, 10, textX, ty, width - textX - MARGIN, r.message() == null ? "not graded" : r.message());
        } else {
          ty = line(out, regular, 10, textX, ty, String.format(Locale.ROOT, "Grade %s, confidence %.2f",
              report.gradeLabel(r.grade()), r.confidence()));
          StringBuilder p = new StringBuilder("Probabilities: ");
          for (int k = 0; k < r.probabilities().size(); k++) {
            p.append(String.format(Locale.ROOT, "%s %.2f  ", report.grades().get(k), r.probabilities().get(k)));
          }
          ty = wrapped(out, regular, 9, textX, ty, width - textX - MARGIN, p.toString().trim());
          ty = line(out, regular, 10, textX, ty, r.needsReview() ? "Triage: review (" + String.join(", ", r.reviewReasons()) + ")"
              : "Triage: auto-accept");
          ty = wrapped(out, regular, 9, textX, ty, width - textX - MARGIN, JointSpaceText.describe(r.measurements()));
        }
        if (r != null) {
          ty = line(out, regular, 9, textX, ty, "Model " + r.modelName() + " " + r.modelVersion());
          ty = line(out, regular, 9, textX, ty, r.outline() != null ? "Picture: the AI's outline over the image"
              : "Heatmap: Grad-CAM evidence for the AI grade");
        }
        ty -= 8;
        ty = line(out, bold, 12, textX, ty, "Reader decision");
        var d = report.decision();
        if (!report.outlineDecisions().isEmpty()) {
          for (var o : report.outlineDecisions()) {
            ty = wrapped(out, regular, 10, textX, ty, width - textX - MARGIN, String.format(Locale.ROOT, "%s: %s the %s outline%s",
                o.readerName(), o.action().equals("accept") ? "accepted" : "rejected", o.structure(),
                o.reason() == null ? "" : ". Reason: " + o.reason()));
          }
          ty = line(out, regular, 9, textX, ty, "Decided " + report.outlineDecisions().stream()
              .map(o -> o.decidedAt()).max(java.util.Comparator.naturalOrder()).orElseThrow());
        } else if (d == null) {
          ty = line(out, regular, 10, textX, ty, "Not reviewed yet: this result is preliminary.");
        } else {
          ty = line(out, regular, 10, textX, ty, String.format(Locale.ROOT, "%s: %s, final grade %s", d.readerName(),
              d.action().equals("accept") ? "accepted the AI grade" : "overrode the AI grade", report.gradeLabel(d.finalGrade())));
          if (d.reason() != null && !d.reason().isBlank()) {
            ty = wrapped(out, regular, 10, textX, ty, width - textX - MARGIN, "Reason: " + d.reason());
          }
          ty = line(out, regular, 9, textX, ty, "Decided " + d.decidedAt());
        }
        float footer = Math.min(ty, y - size - 30);
        wrapped(out, regular, 8, MARGIN, footer, width - 2 * MARGIN, "Issued " + report.issued() + " by RheumaLens. The AI "
            + "grade supports, and does not replace, the reading of a qualified clinician; the final grade is the reader's.");
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    }
  }

  private static float line(PDPageContentStream out, PDType1Font font, float size, float x, float y, String text)
      throws IOException {
    out.beginText();
    out.setFont(font, size);
    out.newLineAtOffset(x, y);
    out.showText(printable(text));
    out.endText();
    return y - size * 1.45f;
  }

  private static float wrapped(PDPageContentStream out, PDType1Font font, float size, float x, float y, float maxWidth,
      String text) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : printable(text).split(" ")) {
      String candidate = current.isEmpty() ? word : current + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size > maxWidth && !current.isEmpty()) {
        lines.add(current.toString());
        current = new StringBuilder(word);
      } else {
        current = new StringBuilder(candidate);
      }
    }
    lines.add(current.toString());
    for (String l : lines) {
      y = line(out, font, size, x, y, l);
    }
    return y;
  }

  /** The standard fonts cover WinAnsi only: anything else becomes '?' rather than failing the report. */
  private static String printable(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      s.append(c >= 32 && c < 127 || c >= 160 && c <= 255 ? c : '?');
    }
    return s.toString();
  }
}
