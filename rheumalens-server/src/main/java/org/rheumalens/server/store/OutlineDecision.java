package org.rheumalens.server.store;

import java.time.OffsetDateTime;

/** A reader's verdict on one structure's outline: accepted, or rejected with a reason. */
public record OutlineDecision(long id, long imageId, long readerId, String readerName, String structure, String action,
    String reason, OffsetDateTime decidedAt) {

  public static final String ACCEPT = "accept";
  public static final String REJECT = "reject";
}
