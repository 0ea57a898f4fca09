package org.rheumalens.server.http;

import io.javalin.http.Context;

/**
 * Headers every response carries (pages, scripts, API answers, errors): the pages load only their own scripts and
 * styles and cannot be framed; nothing is sniffed into another type; no URL leaks to other sites; and API answers,
 * which carry patient data, are never stored by a browser or proxy.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Cache-Control", ctx.path().startsWith("/api/") ? "no-store" : "no-cache");
    if ("https".equals(ctx.scheme())) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
  }
}
