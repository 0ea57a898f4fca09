package org.rheumalens.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A request answered before its body was read (an upload refused by the intake, a request that met an outage): closing
 * the connection while the client is still sending resets it, and the client never sees the answer (18 uploads of the
 * load test got no answer that way, two of the PostgreSQL restart test). A small body is read and dropped instead; a large one
 * is not worth reading, so that connection is closed.
 */
public final class UnreadBody {

  private static final long DRAIN_LIMIT_BYTES = 8L * 1024 * 1024;

  private UnreadBody() {}

  public static void drainOrClose(Context ctx) {
    long declared = ctx.contentLength();
    if (declared >= 0 && declared <= DRAIN_LIMIT_BYTES) {
      try {
        ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        return;
      } catch (IOException | RuntimeException e) {
        // the client went away, or the body was read already; nothing to keep the connection for
      }
    }
    ctx.header("Connection", "close");
  }
}
