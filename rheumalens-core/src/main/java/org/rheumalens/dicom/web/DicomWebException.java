package org.rheumalens.dicom.web;

import java.io.IOException;

/** A DICOMweb call that failed: the message names the URL and the HTTP status (or why no answer came). */
public final class DicomWebException extends IOException {

  private final int status;

  DicomWebException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status of the last answer; 0 when the server could not be reached. */
  public int status() {
    return status;
  }

  /** Worth another try: no answer, a 5xx, 408 or 429 (a PACS restarting or busy), not a 4xx about the request. */
  static boolean isTransient(int status) {
    return status == 0 || status >= 500 || status == 408 || status == 429;
  }
}
