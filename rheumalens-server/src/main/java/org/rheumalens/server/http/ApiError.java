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
}
