package org.rheumalens.server.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.rheumalens.io.Sha256;

/**
 * Who saw or decided what, and when. Insert-only (this class has no update or delete, and no route exposes one); each
 * event's hash covers its content and the previous event's hash, so {@link #verify()} detects any row edited or
 * removed behind the application's back.
 */
public final class AuditLog {

  public record Event(long id, OffsetDateTime at, Long userId, String username, String action, String entity,
      Long entityId, String detail, String prevHash, String hash) {}

  static final String GENESIS = "0".repeat(64);
  private static final RowMapper<Event> EVENT = (rs, ctx) -> new Event(rs.getLong("id"),
      rs.getObject("at", OffsetDateTime.class), (Long) rs.getObject("user_id", Long.class), rs.getString("username"),
      rs.getString("action"), rs.getString("entity"), (Long) rs.getObject("entity_id", Long.class), rs.getString("detail"),
      rs.getString("prev_hash"), rs.getString("hash"));

  private final Jdbi jdbi;
  private final Runnable durable;
  private final ReentrantLock lock = new ReentrantLock();

  /** {@code durable} runs after each commit and before the caller goes on (see {@link Database#sync()}). */
  public AuditLog(Jdbi jdbi, Runnable durable) {
    this.jdbi = jdbi;
    this.durable = durable;
  }

  /**
   * Runs {@code work} in one transaction while no other audited transaction runs: each event's hash needs the
   * previous committed one. Whatever {@code work} records commits together with the change it describes, and is on
   * disk when this returns: callers acknowledge only after that. The JVM lock orders this process's writers; the
   * database lock on the chain's head row orders them against other processes (an import, a second server) too.
   */
  public <T> T transaction(HandleCallback<T, RuntimeException> work) {
    lock.lock();
    try {
      T result = jdbi.inTransaction(h -> {
        lockHead(h);
        return work.withHandle(h);
      });
      durable.run();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Records an event in its own transaction. */
  public void record(User user, String action, String entity, Long entityId, String detail) {
    transaction(h -> {
      record(h, user, action, entity, entityId, detail);
      return null;
    });
  }

  /** Records an event with the handle of a {@link #transaction} in progress. */
  public void record(Handle h, User user, String action, String entity, Long entityId, String detail) {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("audit events are recorded inside AuditLog.transaction");
    }
    String prev = lockHead(h);
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    Long userId = user == null ? null : user.id();
    String username = user == null ? null : user.username();
    String hash = hash(prev, at, userId, username, action, entity, entityId, detail);
    h.createUpdate("INSERT INTO audit_events (at, user_id, username, action, entity, entity_id, detail, prev_hash, hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, at).bind(1, userId).bind(2, username).bind(3, action).bind(4, entity).bind(5, entityId).bind(6, detail)
        .bind(7, prev).bind(8, hash).execute();
    h.createUpdate("UPDATE audit_head SET hash = ? WHERE id = 1").bind(0, hash).execute();
  }

  /** Locks the chain's head row until the transaction ends and returns the last event's hash. */
  private static String lockHead(Handle h) {
    return h.createQuery("SELECT hash FROM audit_head WHERE id = 1 FOR UPDATE").mapTo(String.class).one();
  }

  public List<Event> latest(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events ORDER BY id DESC LIMIT ?").bind(0, limit).map(EVENT).list());
  }

  public List<Event> forEntity(String entity, long entityId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events WHERE entity = ? AND entity_id = ? ORDER BY id")
        .bind(0, entity).bind(1, entityId).map(EVENT).list());
  }

  /**
   * What a check of the whole chain found.
   *
   * @param events how many events were checked
   * @param firstBrokenEvent the first event whose hash or previous hash does not match; null when none
   * @param headMatches whether the last event is the one the head row names (false: events removed from the end)
   * @param intact neither of the above: the chain is as the application wrote it
   */
  public record Verification(long events, Long firstBrokenEvent, boolean headMatches, boolean intact) {
    static Verification of(long events, Long firstBrokenEvent, boolean headMatches) {
      return new Verification(events, firstBrokenEvent, headMatches, firstBrokenEvent == null && headMatches);
    }
  }

  /** Recomputes the chain; returns the id of the first event that does not match, or -1 when all do. */
  public long verify() {
    Long broken = verification().firstBrokenEvent();
    return broken == null ? -1L : broken;
  }

  /** Recomputes the chain from the first event and compares its end with the head row. */
  public Verification verification() {
    return jdbi.inTransaction(h -> {
      String head = h.createQuery("SELECT hash FROM audit_head WHERE id = 1").mapTo(String.class).one();
      String prev = GENESIS;
      long n = 0;
      Long broken = null;
      for (Event e : h.createQuery("SELECT * FROM audit_events ORDER BY id").map(EVENT).list()) {
        n++;
        String expected = hash(prev, e.at().withOffsetSameInstant(ZoneOffset.UTC), e.userId(), e.username(), e.action(),
            e.entity(), e.entityId(), e.detail());
        if (broken == null && (!e.prevHash().equals(prev) || !e.hash().equals(expected))) {
          broken = e.id();
        }
        prev = e.hash();
      }
      return Verification.of(n, broken, head.equals(prev));
    });
  }

  static String hash(String prev, OffsetDateTime at, Long userId, String username, String action, String entity,
      Long entityId, String detail) {
    String content = String.join("\u001f", prev, at.toInstant().toString(), String.valueOf(userId),
        String.valueOf(username), action, String.valueOf(entity), String.valueOf(entityId), String.valueOf(detail));
    return Sha256.hex(content);
  }
}
