package org.rheumalens.server.http;

/** A request the API refuses, with the HTTP status and a message for the client. */
public final class ApiError extends RuntimeException {

  private final int status;

  public ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, what + " not found");
  }

  /** The body of an error answer, {"error": message}. */
  static byte[] json(String message) {
    return ("{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + "}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Thrown when the handler has already written the error answer itself: nothing is left to do. */
  static final class Answered extends RuntimeException {
    Answered() {
      super(null, null, false, false);
    }
  }
}
