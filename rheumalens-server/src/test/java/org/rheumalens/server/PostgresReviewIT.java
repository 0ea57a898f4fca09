package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.store.Database;

/**
 * The same user flows as {@link ReviewServerIT}, on PostgreSQL: the one set of Flyway migrations and every query must
 * work on both databases. {@code ./rheumalens test} installs and starts Debian's PostgreSQL and passes a role that may
 * create databases; each test gets a throw-away database, dropped afterwards.
 */
class PostgresReviewIT {

  private static final String URL = System.getenv("RHEUMALENS_TEST_PG_URL");
  private static final String USER = System.getenv("RHEUMALENS_TEST_PG_USER");
  private static final String PASSWORD = System.getenv("RHEUMALENS_TEST_PG_PASSWORD");

  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private String database;
  private String databaseUrl;

  @BeforeEach
  void createDatabase() throws SQLException {
    assumeThat(URL).as("RHEUMALENS_TEST_PG_URL is not set: run `./rheumalens test`, which starts PostgreSQL").isNotNull();
    database = "rheumalens_it_" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.createStatement().execute("CREATE DATABASE " + database);
    }
    databaseUrl = URL.substring(0, URL.lastIndexOf('/') + 1) + database;
  }

  @AfterEach
  void dropDatabase() throws SQLException, InterruptedException {
    if (database == null) {
      return;
    }
    // An autovacuum worker busy in the test database after many writes belongs to the superuser, which the test role
    // may not terminate: FORCE then fails with insufficient_privilege (SQLState 42501; the message's wording differs
    // between PostgreSQL versions and locales); the worker finishes within moments, so try again a few times.
    for (int attempt = 1; ; attempt++) {
      try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
        c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        return;
      } catch (SQLException e) {
        if (attempt >= 20 || !INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
  }

  private ServerConfig config(Path data) throws Exception {
    return new ServerConfig(data, databaseUrl, USER, PASSWORD, 0, ModelLocation.bundled("knee-kl"),
        ReviewServerIT.ADMIN_PASSWORD, 0);
  }

  @Test
  void migrationsCreateTheSchemaOnPostgres() {
    try (Database db = Database.open(databaseUrl, USER, PASSWORD)) {
      List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
          .mapTo(String.class).list());
      assertThat(tables).contains("users", "sessions", "patients", "studies", "images", "ai_results", "decisions",
          "outline_decisions", "audit_events", "flyway_schema_history");
      String version = db.jdbi().withHandle(h -> h.createQuery("SELECT version()").mapTo(String.class).one());
      assertThat(version).startsWith("PostgreSQL");
    }
    // Opening again finds the schema current and changes nothing.
    try (Database db = Database.open(databaseUrl, USER, PASSWORD)) {
      List<String> applied = new ArrayList<>(db.jdbi().withHandle(h -> h.createQuery(
          "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank").mapTo(String.class).list()));
      assertThat(applied).containsExactly("1", "2", "3", "4", "5");
      List<String> imageColumns = db.jdbi().withHandle(h -> h.createQuery("SELECT column_name FROM "
          + "information_schema.columns WHERE table_name = 'images'").mapTo(String.class).list());
      assertThat(imageColumns).contains("task_id", "phi_warning");
    }
  }

  @Test
  void uploadGradeReviewAuditAndSurviveARestart(@TempDir Path dir) throws Exception {
    ReviewServerIT.uploadGradeReviewAuditAndRestart(dir, this::config);
  }

  @Test
  void acknowledgedDecisionsAndQueuedImagesSurviveKillMinus9(@TempDir Path dir) throws Exception {
    CrashIT.survivesKillMinus9(dir, List.of("--db", databaseUrl, "--db-user", USER, "--db-password", PASSWORD));
  }

  @Test
  void eachTaskIsReadGradedListedAndDecidedWithItsOwnModel(@TempDir Path dir) throws Exception {
    MultiTaskServerIT.eachTaskIsReadGradedListedAndDecided(dir, data -> new ServerConfig(data, databaseUrl, USER,
        PASSWORD, 0, MultiTaskServerIT.models(), ReviewServerIT.ADMIN_PASSWORD, 0));
  }

  @Test
  void twentyIdenticalAndTwentyDifferentUploadsAtOnceAllSucceed(@TempDir Path dir) throws Exception {
    HardeningIT.concurrentUploads(dir, this::config);
  }

  @Test
  void auditChainStaysLinearWithTwoWritersOnOneDatabase(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(config(dir.resolve("data")), ReviewServerIT.quiet());
        Database second = Database.open(databaseUrl, USER, PASSWORD)) {
      HardeningIT.auditChainStaysLinear(server, second);
    }
  }

  /** Two server processes on one PostgreSQL database, both writing audit events at once: still one chain. */
  @Test
  void auditChainStaysLinearWithTwoServerProcesses(@TempDir Path dir) throws Exception {
    try (ReviewServer here = ReviewServer.start(config(dir.resolve("a")), ReviewServerIT.quiet())) {
      CrashIT.Server there = CrashIT.Server.start(dir.resolve("b"), List.of("--db", databaseUrl, "--db-user", USER,
          "--db-password", PASSWORD), 0);
      try {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> logins = new ArrayList<>();
        for (int port : List.of(here.port(), there.port(), here.port(), there.port())) {
          logins.add(pool.submit(() -> {
            for (int i = 0; i < 15; i++) {
              assertThat(new ApiClient(port).login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
            }
            return null;
          }));
        }
        for (var login : logins) {
          login.get();
        }
        pool.shutdown();
        for (ApiClient admin : List.of(there.client(), new ApiClient(here.port()))) {
          admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
          var verified = admin.get("/api/admin/audit/verify").json();
          assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
          assertThat(verified.get("events").asLong()).isGreaterThan(60);
        }
      } finally {
        there.kill();
      }
    }
  }

  @Test
  void readersCannotUseAdminRoutes(@TempDir Path dir) throws Exception {
    ReviewServerIT.readersCannotUseAdminRoutes(dir, this::config);
  }

  /**
   * PostgreSQL stopped and started again under load (the test's own cluster, through pg_ctlcluster): while it is down
   * requests are answered 503 naming the database, never 500; nothing acknowledged is lost; the same server process
   * takes uploads and grades them again once it is back.
   */
  @Test
  void aPostgresRestartUnderLoadIsA503AndTheServerRecoversWithoutRestart(@TempDir Path dir) throws Exception {
    List<String> cluster = clusterServing(URI.create(URL.substring("jdbc:".length())).getPort());
    CrashIT.Server server = CrashIT.Server.start(dir.resolve("data"), List.of("--db", databaseUrl, "--db-user", USER,
        "--db-password", PASSWORD));
    try (ServerLoad load = ServerLoad.start(server.port(), ReviewServerIT.firstKnee(), 2, 2)) {
      load.awaitAcknowledged(6, 3, 100_000);
      ApiClient probe = server.client();
      pgCtl(cluster, "stop", "-m", "fast");
      ApiClient.Response down;
      try {
        Thread.sleep(2000); // the load meets the outage too
        down = probe.get("/api/worklist");
      } finally {
        pgCtl(cluster, "start");
      }
      assertThat(down.status()).as(down.body()).isEqualTo(503);
      assertThat(down.json().get("error").asText()).contains("database is unavailable");
      assertThat(down.header("Retry-After")).isNotNull();
      int uploadsBefore = load.uploaded.size();
      int decisionsBefore = load.decided.size();
      load.awaitAcknowledged(uploadsBefore + 4, decisionsBefore + 2, 100_000); // the same process, no restart
      load.close();
      assertThat(load.answers.keySet()).as("answers under load: %s", load.answers)
          .noneMatch(k -> k.matches(".* (5(00|01|02|04)|io)")); // every request answered, none with a 500
      ApiClient client = server.client();
      FaultIT.assertNothingLost(client, load);
      FaultIT.awaitQueueDrained(client);
      FaultIT.assertEveryImageCompleteAndEveryResultWhole(client, dir.resolve("data"));
      System.out.printf("PostgresReviewIT restart: %d uploads and %d decisions acknowledged, none lost; answers %s%n",
          load.uploaded.size(), load.decided.size(), new java.util.TreeMap<>(load.answers));
    } finally {
      server.kill();
    }
  }

  /** The version and name of the local cluster listening on {@code port}, for pg_ctlcluster. */
  private static List<String> clusterServing(int port) throws Exception {
    Process ls;
    try {
      ls = new ProcessBuilder("pg_lsclusters", "-h").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      assumeThat(false).as("pg_lsclusters is not installed: the restart test needs Debian's PostgreSQL").isTrue();
      throw e;
    }
    String out = new String(ls.getInputStream().readAllBytes());
    ls.waitFor();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[2].equals(Integer.toString(port))) {
        return List.of(f[0], f[1]);
      }
    }
    assumeThat(false).as("no local cluster on port %d (pg_lsclusters: %s): cannot restart it", port, out).isTrue();
    return List.of();
  }

  private static void pgCtl(List<String> cluster, String... action) throws Exception {
    List<String> command = new ArrayList<>(List.of("pg_ctlcluster", cluster.get(0), cluster.get(1)));
    command.addAll(List.of(action));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
  }
}
