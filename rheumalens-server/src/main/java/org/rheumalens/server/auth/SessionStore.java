package org.rheumalens.server.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.rheumalens.io.Sha256;
import org.rheumalens.server.store.User;
import org.rheumalens.server.store.UserStore;

/**
 * Server-side sessions in the database (they survive a restart). The browser holds a random token in an HttpOnly,
 * SameSite=Strict cookie; the database holds only its SHA-256. Each session has its own CSRF token, which every
 * state-changing request must echo in a header.
 */
public final class SessionStore {

  public record Session(String token, String csrfToken, User user) {}

  public static final Duration LIFETIME = Duration.ofHours(12);
  private final SecureRandom random = new SecureRandom();
  private final Jdbi jdbi;
  private final UserStore users;

  public SessionStore(Jdbi jdbi, UserStore users) {
    this.jdbi = jdbi;
    this.users = users;
  }

  public Session open(User user) {
    String token = randomToken();
    String csrf = randomToken();
    OffsetDateTime now = OffsetDateTime.now();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(0, sha256(token)).bind(1, user.id()).bind(2, csrf).bind(3, now).bind(4, now.plus(LIFETIME)).execute());
    return new Session(token, csrf, user);
  }

  /** The live session for this token, if any. */
  public Optional<Session> find(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT user_id, csrf_token FROM sessions WHERE token_hash = ? AND expires_at > ?")
            .bind(0, sha256(token)).bind(1, OffsetDateTime.now())
            .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).findOne())
        .flatMap(row -> users.byId((Long) row[0]).filter(User::active).map(u -> new Session(token, (String) row[1], u)));
  }

  public void close(String token) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE token_hash = ?").bind(0, sha256(token)).execute());
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String token) {
    return Sha256.hex(token);
  }
}
