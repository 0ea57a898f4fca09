package org.rheumalens.server.store;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An ingested image: its de-identified copy (a 16-bit PNG in the data folder), the display hints of its source, and
 * where it stands in the AI queue, and the task (so the model) it was uploaded for.
 */
public record StoredImage(long id, long studyId, long patientId, String patient, LocalDate studyDate, String sha256,
    String storedPath, String displayName, String format, int width, int height, Double pixelSpacingMm,
    String laterality, String modality, double valueScale, double valueOffset, int bitsStored, boolean invert,
    Double windowCenter, Double windowWidth, String status, String error, int attempts, OffsetDateTime createdAt,
    String taskId) {

  public static final String QUEUED = "queued";
  public static final String PROCESSING = "processing";
  public static final String DONE = "done";
  public static final String FAILED = "failed";
}
