package org.rheumalens.server.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Users and their password hashes. */
public final class UserStore {

  private static final RowMapper<User> USER = (rs, ctx) -> new User(rs.getLong("id"), rs.getString("username"),
      rs.getString("display_name"), Role.fromDb(rs.getString("role")), rs.getBoolean("active"));

  private final Jdbi jdbi;

  public UserStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public User create(String username, String displayName, Role role, String passwordHash) {
    long id = jdbi.withHandle(h -> h.createUpdate(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(0, username).bind(1, displayName).bind(2, role.dbValue()).bind(3, passwordHash).bind(4, OffsetDateTime.now())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    return new User(id, username, displayName, role, true);
  }

  public Optional<User> byId(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = ?").bind(0, id).map(USER).findOne());
  }

  public Optional<User> byUsername(String username) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE username = ?").bind(0, username).map(USER).findOne());
  }

  public Optional<String> passwordHash(String username) {
    return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE username = ? AND active")
        .bind(0, username).mapTo(String.class).findOne());
  }

  public void setPasswordHash(long userId, String passwordHash) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = ? WHERE id = ?").bind(0, passwordHash).bind(1, userId)
        .execute());
  }

  /** Deactivated users cannot log in and their sessions no longer count; their decisions and audit events stay. */
  public boolean deactivate(long userId) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET active = FALSE WHERE id = ? AND active").bind(0, userId)
        .execute()) == 1;
  }

  public List<User> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY id").map(USER).list());
  }

  public long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
  }
}
