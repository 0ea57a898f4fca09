package org.rheumalens.server.store;

import java.time.LocalDate;
import java.util.List;

/**
 * One row of the worklist: the case, what the AI said, and the standing decision if any ({@code decision} is the
 * action: accept or override a grade, accept or reject an outline). {@code outlineSummary}: each outlined structure's
 * area, for segmentation tasks.
 */
public record WorklistItem(long imageId, String patient, LocalDate studyDate, String laterality, String status,
    String displayName, Integer aiGrade, Double confidence, Boolean needsReview, List<String> reviewReasons,
    Boolean oodFlagged, Integer finalGrade, String decision, String decidedBy,
    String outlineSummary) {}
