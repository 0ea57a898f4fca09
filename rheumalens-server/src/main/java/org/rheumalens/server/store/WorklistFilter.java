package org.rheumalens.server.store;

import java.time.LocalDate;

/**
 * @param status needs_review, undecided, decided, or a queue state (queued, processing, done, failed); null: all
 * @param grade the standing grade (reader's, else AI's); null: all
 * @param from earliest study date; null: open
 * @param to latest study date; null: open
 * @param taskId only this task's images; null: all
 * @param limit most rows returned
 */
public record WorklistFilter(String status, Integer grade, LocalDate from, LocalDate to, String taskId, int limit) {

  /** The status values the worklist filters by. */
  public static final java.util.List<String> STATUSES = java.util.List.of("needs_review", "undecided", "decided",
      StoredImage.QUEUED, StoredImage.PROCESSING, StoredImage.DONE, StoredImage.FAILED);
}
