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
  /** A session unused this long ends (an unattended workstation), whatever its lifetime left. */
  public static final Duration IDLE = Duration.ofMinutes(30);
  /** Last use is written at most this often, not on every request. */
  private static final Duration TOUCH = Duration.ofMinutes(1);
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
    jdbi.useHandle(h -> {
      // Ended sessions are deleted here, each login, rather than by a timer.
      h.createUpdate("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?").bind(0, now).bind(1, now.minus(IDLE))
          .execute();
      h.createUpdate("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) "
              + "VALUES (?, ?, ?, ?, ?, ?)")
          .bind(0, sha256(token)).bind(1, user.id()).bind(2, csrf).bind(3, now).bind(4, now.plus(LIFETIME)).bind(5, now)
          .execute();
    });
    return new Session(token, csrf, user);
  }

  /** The live session for this token, if any (not expired, not idle, of an active user); marks it used. */
  public Optional<Session> find(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    OffsetDateTime now = OffsetDateTime.now();
    String hash = sha256(token);
    return jdbi.withHandle(h -> {
      Optional<Object[]> row = h.createQuery("SELECT user_id, csrf_token, last_seen_at FROM sessions "
              + "WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?")
          .bind(0, hash).bind(1, now).bind(2, now.minus(IDLE))
          .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)}).findOne();
      row.filter(r -> ((OffsetDateTime) r[2]).isBefore(now.minus(TOUCH)))
          .ifPresent(r -> h.createUpdate("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?").bind(0, now)
              .bind(1, hash).execute());
      return row;
    }).flatMap(row -> users.byId((Long) row[0]).filter(User::active).map(u -> new Session(token, (String) row[1], u)));
  }

  /** Ends every session of a user (deactivated, or the password changed elsewhere) but {@code keepToken}'s. */
  public void closeAllOf(long userId, String keepToken) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?").bind(0, userId)
        .bind(1, keepToken == null ? "" : sha256(keepToken)).execute());
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
