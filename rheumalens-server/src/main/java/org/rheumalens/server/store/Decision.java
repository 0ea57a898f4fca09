package org.rheumalens.server.store;

import java.time.OffsetDateTime;

/** A reader's decision on an image: accept the AI grade or override it with a reason. */
public record Decision(long id, long imageId, long readerId, String readerName, String action, Integer aiGrade,
    int finalGrade, String reason, OffsetDateTime decidedAt) {

  public static final String ACCEPT = "accept";
  public static final String OVERRIDE = "override";
}
