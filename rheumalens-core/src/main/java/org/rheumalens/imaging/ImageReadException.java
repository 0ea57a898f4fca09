package org.rheumalens.imaging;

import java.io.IOException;

/** An input that cannot be read as a radiograph; the message names the file and a cause a user can act on. */
public final class ImageReadException extends IOException {
  private static final long serialVersionUID = 1L;

  public ImageReadException(String source, String cause) {
    super(source + ": " + cause);
  }

  public ImageReadException(String source, String cause, Throwable throwable) {
    super(source + ": " + cause, throwable);
  }

  /** A lower-level failure as a cause's wording: its class, and its message where it has one. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
