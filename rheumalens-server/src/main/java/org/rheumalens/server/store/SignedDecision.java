package org.rheumalens.server.store;

/** The decision that stands on an image, with the reader's user name and the image's task: what a PACS is told. */
public record SignedDecision(Decision decision, String readerLogin, String taskId) {}
