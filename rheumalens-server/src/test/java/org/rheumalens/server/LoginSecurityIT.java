package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.server.auth.LoginThrottle;

/** Accounts as an attacker and an administrator meet them: guessing, timing, password change, deactivation, idleness. */
class LoginSecurityIT {

  private static final String READER_PASSWORD = "reader-password-1";

  @Test
  void guessingIsThrottledPerAccountAndPerAddressAndTimingDoesNotTellWhichUsersExist(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      createReader(admin, "reader1");
      ApiClient guesser = new ApiClient(server.port());

      // Wrong passwords for a real user and for names no one has: answers take as long (PBKDF2 either way).
      List<Long> existing = new ArrayList<>();
      List<Long> missing = new ArrayList<>();
      for (int i = 0; i < LoginThrottle.ACCOUNT_FAILURES - 1; i++) {
        existing.add(timedLogin(guesser, "reader1", "wrong-password-" + i, 401));
        missing.add(timedLogin(guesser, "ghost" + i, "wrong-password-" + i, 401));
      }
      long existingMedian = median(existing);
      long missingMedian = median(missing);
      System.out.printf("login timing: existing user %d ms, unknown user %d ms (medians of %d)%n", existingMedian,
          missingMedian, existing.size());
      assertThat((double) missingMedian).as("unknown user names answered as slowly as known ones")
          .isGreaterThan(0.5 * existingMedian);

      // The account's fifth failure blocks it, even for the right password; other accounts are not affected.
      timedLogin(guesser, "reader1", "wrong-password-x", 401);
      ApiClient.Response blocked = guesser.login("reader1", READER_PASSWORD);
      assertThat(blocked.status()).as(blocked.body()).isEqualTo(429);
      assertThat(blocked.header("Retry-After")).isNotNull();
      assertThat(blocked.json().get("error").asText()).contains("try again");
      assertThat(new ApiClient(server.port()).login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);

      // One address spraying names: blocked after 20 failures in all, whatever the names.
      int sprayed = 2 * (LoginThrottle.ACCOUNT_FAILURES - 1) + 1;
      for (int i = 0; sprayed < LoginThrottle.ADDRESS_FAILURES; i++, sprayed++) {
        timedLogin(guesser, "spray" + i, "wrong-password", 401);
      }
      assertThat(guesser.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).as("from the spraying address").isEqualTo(429);
    }
  }

  @Test
  void passwordsChangeUsersAreDeactivatedAndIdleOrExpiredSessionsEnd(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      long readerId = createReader(admin, "reader1");
      ApiClient first = new ApiClient(server.port());
      ApiClient second = new ApiClient(server.port());
      assertThat(first.login("reader1", READER_PASSWORD).status()).isEqualTo(200);
      assertThat(second.login("reader1", READER_PASSWORD).status()).isEqualTo(200);

      assertThat(first.postJson("/api/password", Map.of("currentPassword", "not-it-at-all", "newPassword", "a-new-password-2"))
          .status()).isEqualTo(403);
      assertThat(first.postJson("/api/password", Map.of("currentPassword", READER_PASSWORD, "newPassword", " ".repeat(12)))
          .status()).isEqualTo(400);
      assertThat(first.postJson("/api/password", Map.of("currentPassword", READER_PASSWORD, "newPassword", "a-new-password-2"))
          .status()).isEqualTo(204);
      assertThat(first.get("/api/worklist").status()).as("the session that changed it").isEqualTo(200);
      assertThat(second.get("/api/worklist").status()).as("the reader's other session").isEqualTo(401);
      assertThat(new ApiClient(server.port()).login("reader1", READER_PASSWORD).status()).isEqualTo(401);
      assertThat(second.login("reader1", "a-new-password-2").status()).isEqualTo(200);

      assertThat(admin.postJson("/api/admin/users/" + readerId + "/deactivate", Map.of()).json().get("active").asBoolean())
          .isFalse();
      assertThat(first.get("/api/worklist").status()).as("a deactivated user's session").isEqualTo(401);
      assertThat(new ApiClient(server.port()).login("reader1", "a-new-password-2").status()).isEqualTo(401);
      long adminId = admin.get("/api/session").json().get("user").get("id").asLong();
      assertThat(admin.postJson("/api/admin/users/" + adminId + "/deactivate", Map.of()).status()).isEqualTo(409);
      assertThat(admin.postJson("/api/admin/users/999999/deactivate", Map.of()).status()).isEqualTo(404);

      // Idle for longer than the idle timeout: the session ends, and the next login deletes it.
      ApiClient idle = new ApiClient(server.port());
      idle.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      OffsetDateTime longAgo = OffsetDateTime.now().minusMinutes(31);
      server.database().jdbi().useHandle(h -> h.createUpdate("UPDATE sessions SET last_seen_at = ?, created_at = ? "
          + "WHERE last_seen_at = (SELECT MAX(last_seen_at) FROM sessions)").bind(0, longAgo).bind(1, longAgo).execute());
      assertThat(idle.get("/api/worklist").status()).as("after 31 idle minutes").isEqualTo(401);
      assertThat(admin.get("/api/worklist").status()).as("an active session").isEqualTo(200);
      new ApiClient(server.port()).login("admin", ReviewServerIT.ADMIN_PASSWORD);
      long stale = server.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE last_seen_at <= ?")
          .bind(0, OffsetDateTime.now().minusMinutes(30)).mapTo(Long.class).one());
      assertThat(stale).as("idle sessions deleted").isZero();
    }
  }

  private static long createReader(ApiClient admin, String name) throws Exception {
    ApiClient.Response created = admin.postJson("/api/admin/users", Map.of("username", name, "role", "reader", "password",
        READER_PASSWORD));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static long timedLogin(ApiClient client, String user, String password, int expected) throws Exception {
    long start = System.nanoTime();
    ApiClient.Response r = client.login(user, password);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.status()).as(user + ": " + r.body()).isEqualTo(expected);
    return ms;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
