package org.rheumalens.server.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How much decoding each account may ask of the server: a bucket of pixels per account that refills at {@code
 * megapixelsPerMinute} and holds one minute's worth. Every uploaded file costs its decoded pixels (at least {@link
 * #MIN_CHARGE}, so floods of tiny or unreadable files cost something too). While an account's bucket is empty its
 * uploads are refused before they are read, with the time until it has refilled. Decoding a 10,000 x 10,000 image takes
 * seconds of a core; at the default 600 megapixels a minute one account can send six of those a minute, or thousands
 * of joint crops. Kept in memory: a restart refills every bucket.
 */
public final class UploadAllowance {

  /** The least a file costs, in pixels: 2,400 files a minute at the default. */
  public static final long MIN_CHARGE = 250_000;
  private static final int MAX_TRACKED = 100_000;

  private final double pixelsPerNano;
  private final double capacity;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** @param megapixelsPerMinute refill rate and capacity; 0 turns the allowance off */
  public UploadAllowance(int megapixelsPerMinute, Clock clock) {
    if (megapixelsPerMinute < 0) {
      throw new IllegalArgumentException("the upload allowance cannot be negative: " + megapixelsPerMinute);
    }
    this.capacity = megapixelsPerMinute * 1e6;
    this.pixelsPerNano = capacity / Duration.ofMinutes(1).toNanos();
    this.clock = clock;
  }

  public boolean limited() {
    return capacity > 0;
  }

  /** How long {@code account} must wait before its next upload; empty when it may upload now. */
  public Optional<Duration> wait(String account) {
    if (!limited()) {
      return Optional.empty();
    }
    Bucket bucket = buckets.get(key(account));
    if (bucket == null) {
      return Optional.empty();
    }
    synchronized (bucket) {
      double level = bucket.refill(nanos(), pixelsPerNano, capacity);
      return level > 0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) Math.ceil((1 - level) / pixelsPerNano)));
    }
  }

  /** Takes one file's decoded pixels (at least {@link #MIN_CHARGE}) from the account's bucket; it may go below zero. */
  public void charge(String account, long pixels) {
    if (!limited()) {
      return;
    }
    long now = nanos();
    if (buckets.size() > MAX_TRACKED) {
      buckets.values().removeIf(b -> b.isFullAt(now, pixelsPerNano, capacity));
    }
    Bucket bucket = buckets.computeIfAbsent(key(account), k -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.refill(now, pixelsPerNano, capacity);
      bucket.level -= Math.max(MIN_CHARGE, pixels);
    }
  }

  private long nanos() {
    return clock.millis() * 1_000_000L;
  }

  private static String key(String account) {
    return account.toLowerCase(Locale.ROOT);
  }

  private static final class Bucket {
    private double level;
    private long at;

    Bucket(double level, long at) {
      this.level = level;
      this.at = at;
    }

    double refill(long now, double rate, double capacity) {
      level = Math.min(capacity, level + Math.max(0, now - at) * rate);
      at = Math.max(at, now);
      return level;
    }

    synchronized boolean isFullAt(long now, double rate, double capacity) {
      return level + Math.max(0, now - at) * rate >= capacity;
    }
  }
}
