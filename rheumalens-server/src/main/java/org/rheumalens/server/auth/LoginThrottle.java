package org.rheumalens.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #ACCOUNT_FAILURES} failed logins for one user name, or
 * {@link #ADDRESS_FAILURES} from one address, within {@link #WINDOW}, further attempts are refused (even with the
 * right password) until the oldest failure is older than the window. Counted by the name typed, whether or not such a
 * user exists, so a refusal does not tell which names exist. Kept in memory: a restart forgets it.
 */
public final class LoginThrottle {

  public static final int ACCOUNT_FAILURES = 5;
  public static final int ADDRESS_FAILURES = 20;
  public static final Duration WINDOW = Duration.ofMinutes(15);
  private static final int MAX_TRACKED = 100_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> byAccount = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> byAddress = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long until {@code username} from {@code address} may try again; empty when it may now. */
  public Optional<Duration> blocked(String username, String address) {
    Instant now = clock.instant();
    Duration wait = max(waitFor(byAccount, key(username), ACCOUNT_FAILURES, now),
        waitFor(byAddress, address, ADDRESS_FAILURES, now));
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    if (byAccount.size() + byAddress.size() > MAX_TRACKED) {
      forgetOld(now); // a flood of made-up names must not grow memory without bound
    }
    add(byAccount, key(username), now);
    add(byAddress, address, now);
  }

  /** A successful login clears the account's failures (not the address's: one right guess must not reset a spray). */
  public void succeeded(String username) {
    byAccount.remove(key(username));
  }

  private static String key(String username) {
    return username.toLowerCase(java.util.Locale.ROOT);
  }

  private static void add(Map<String, Deque<Instant>> map, String key, Instant now) {
    Deque<Instant> times = map.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(now);
    }
  }

  private static Duration waitFor(Map<String, Deque<Instant>> map, String key, int limit, Instant now) {
    Deque<Instant> times = map.get(key);
    if (times == null) {
      return Duration.ZERO;
    }
    synchronized (times) {
      while (!times.isEmpty() && times.peekFirst().plus(WINDOW).isBefore(now)) {
        times.removeFirst();
      }
      if (times.size() < limit) {
        return Duration.ZERO;
      }
      // Blocked until enough failures have aged out to leave room for one more try.
      Instant free = times.stream().skip(times.size() - limit).findFirst().orElseThrow().plus(WINDOW);
      return Duration.between(now, free);
    }
  }

  private void forgetOld(Instant now) {
    for (Map<String, Deque<Instant>> map : java.util.List.of(byAccount, byAddress)) {
      map.entrySet().removeIf(e -> {
        synchronized (e.getValue()) {
          return e.getValue().isEmpty() || e.getValue().peekLast().plus(WINDOW).isBefore(now);
        }
      });
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
