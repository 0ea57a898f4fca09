package org.rheumalens.server;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * A failure that is the environment's, not the request's: the database is unreachable (503) or the data folder's disk
 * is full (507). Such requests are answered with the cause and a Retry-After, and the server recovers by itself once
 * the database is back or space is freed.
 *
 * @param status 503 or 507
 * @param reason what is wrong, for the user and the log
 */
public record Outage(int status, String reason) {

  public static final int DATABASE_DOWN = 503;
  public static final int DISK_FULL = 507;

  /** The outage behind {@code error} (anywhere in its causes), if it is one. */
  public static Optional<Outage> of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (diskFull(t)) {
        return Optional.of(new Outage(DISK_FULL, "the data folder's disk is full: free space there and try again"));
      }
      if (t instanceof SQLException sql && databaseDown(sql)) {
        return Optional.of(new Outage(DATABASE_DOWN, "the database is unavailable (" + firstLine(sql.getMessage())
            + "); try again shortly"));
      }
    }
    return Optional.empty();
  }

  private static boolean diskFull(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    // ENOSPC from the JDK's file code, and H2 wrapping it; quota exhaustion reads the same to a user.
    return (t instanceof IOException || t instanceof SQLException || t.getClass().getName().startsWith("org.h2."))
        && (message.contains("no space left on device") || message.contains("disk quota exceeded"));
  }

  /** SQLSTATE class 08 (connection exception) or 57P (the server shutting down, crashed or starting up). */
  private static boolean databaseDown(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
