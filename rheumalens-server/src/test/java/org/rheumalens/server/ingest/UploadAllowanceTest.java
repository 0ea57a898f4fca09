package org.rheumalens.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UploadAllowanceTest {

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private Instant now = Instant.parse("2026-11-29T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  @Test
  void aHugeImageEmptiesTheBucketAndItRefillsAtTheRate() {
    HandClock clock = new HandClock();
    UploadAllowance allowance = new UploadAllowance(120, clock); // 2 MP a second
    assertThat(allowance.wait("reader")).isEmpty();
    allowance.charge("reader", 100_000_000); // a 10,000 x 10,000 image
    assertThat(allowance.wait("reader")).isEmpty(); // 20 MP left of 120
    allowance.charge("Reader", 100_000_000); // the same account, however it is typed
    assertThat(allowance.wait("reader")).hasValueSatisfying(d ->
        assertThat(d.toMillis()).isBetween(40_000L, 40_001L)); // 80 MP owed at 2 MP/s
    assertThat(allowance.wait("other")).as("another account is not held up").isEmpty();
    clock.advance(Duration.ofSeconds(39));
    assertThat(allowance.wait("reader")).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(allowance.wait("reader")).isEmpty();
  }

  @Test
  void everyFileCostsAtLeastTheMinimumAndTheBucketHoldsOneMinute() {
    HandClock clock = new HandClock();
    UploadAllowance allowance = new UploadAllowance(1, clock); // 4 minimum-cost files a minute
    clock.advance(Duration.ofHours(1)); // idle time does not bank more than a minute's worth
    for (int i = 0; i < 4; i++) {
      assertThat(allowance.wait("r")).as("file %d", i).isEmpty();
      allowance.charge("r", 0);
    }
    assertThat(allowance.wait("r")).isPresent();
  }

  @Test
  void zeroIsNoLimit() {
    UploadAllowance allowance = new UploadAllowance(0, new HandClock());
    for (int i = 0; i < 1000; i++) {
      allowance.charge("r", 100_000_000);
    }
    assertThat(allowance.wait("r")).isEmpty();
    assertThat(allowance.limited()).isFalse();
  }
}
