package org.rheumalens.server.ingest;

/**
 * The name an uploader gave a file, which is never stored: it is only read for hints (an OAI-style patient id and
 * side) and echoed in the upload's own answer. Any string is accepted ("/", control characters, 10,000 characters).
 */
public final class UploadName {

  static final int MAX_SHOWN = 120;

  private UploadName() {}

  /** The last path segment without control characters; "upload" when nothing is left. */
  public static String baseName(String name) {
    String clean = name == null ? "" : name.replaceAll("\\p{Cntrl}", "");
    String base = clean.substring(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1).strip();
    return base.isEmpty() ? "upload" : base;
  }

  /** The base name cut to {@value #MAX_SHOWN} characters, for messages to the uploader. */
  public static String forMessages(String name) {
    String base = baseName(name);
    return base.length() <= MAX_SHOWN ? base : base.substring(0, MAX_SHOWN) + "...";
  }
}
