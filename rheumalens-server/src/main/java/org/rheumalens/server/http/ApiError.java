package org.rheumalens.server.http;

/** A request the API refuses, with the HTTP status and a message for the client. */
public final class ApiError extends RuntimeException {

  private final int status;
  private long retryAfterSeconds = -1;

  public ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Asks the client to come back after {@code seconds} (the answer carries a Retry-After header). */
  public ApiError retryAfter(long seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** Seconds for the Retry-After header, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The answer to a request that met an outage (database down, disk full): its status, cause and a Retry-After. */
  public static ApiError of(org.rheumalens.server.Outage outage) {
    return new ApiError(outage.status(), outage.reason()).retryAfter(outage.status() == 503 ? 5 : 60);
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
