package org.rheumalens.server.report;

import java.awt.image.BufferedImage;
import java.time.OffsetDateTime;
import java.util.List;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.Decision;
import org.rheumalens.server.store.OutlineDecision;
import org.rheumalens.server.store.StoredImage;

/**
 * Everything a report on one image says: the task it was read for, the image (with the AI heatmap over it), the AI
 * result with its model, and the standing reader decision, if there is one (without one the report is preliminary).
 *
 * @param taskId the task's id, which names the code system of its grades
 * @param taskTitle the task's human name ("Knee osteoarthritis, Kellgren-Lawrence grade")
 * @param grades the task's grade labels in order
 * @param picture the image with the heatmap over it, or for a segmentation task the mask overlay
 * @param outlineDecisions a segmentation task's standing decision on each structure judged (empty otherwise)
 */
public record CaseReport(String taskId, String taskTitle, StoredImage image, List<String> grades, AiResult result,
    Decision decision, List<OutlineDecision> outlineDecisions, BufferedImage picture, OffsetDateTime issued) {

  public CaseReport {
    outlineDecisions = List.copyOf(outlineDecisions);
  }

  public boolean isFinal() {
    return decision != null || !outlineDecisions.isEmpty();
  }

  public String gradeLabel(Integer grade) {
    return grade == null ? "none" : grades.get(grade);
  }
}
