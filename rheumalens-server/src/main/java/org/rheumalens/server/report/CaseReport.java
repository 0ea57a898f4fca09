package org.rheumalens.server.report;

import java.awt.image.BufferedImage;
import java.time.OffsetDateTime;
import java.util.List;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.Decision;
import org.rheumalens.server.store.StoredImage;

/**
 * Everything a report on one image says: the image (with the AI heatmap over it), the AI result with its model, and
 * the standing reader decision, if there is one (without one the report is preliminary).
 */
public record CaseReport(StoredImage image, List<String> grades, AiResult result, Decision decision,
    BufferedImage picture, OffsetDateTime issued) {

  public boolean isFinal() {
    return decision != null;
  }

  public String gradeLabel(Integer grade) {
    return grade == null ? "none" : grades.get(grade);
  }
}
