package org.rheumalens.server.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the model said about an image, with the model's name and version so every result is traceable. A grading
 * model fills the grade, probabilities and heatmap; a segmentation model the {@code outline} (null otherwise), with
 * the mean entropy inside its structures as the uncertainty.
 */
public record AiResult(long imageId, String taskId, String modelName, String modelVersion, Integer grade,
    List<Double> probabilities, Double confidence, boolean oodFlagged, Double oodScore, boolean needsReview,
    List<String> reviewReasons, Double uncertainty, String heatmapPath, String measurements, String message, double ms,
    OffsetDateTime createdAt, Outline outline) {}
