package org.rheumalens.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.rheumalens.server.DataFolder;

/**
 * The review database: an H2 file in PostgreSQL mode by default, PostgreSQL when a {@code jdbc:postgresql:} URL is
 * given. Flyway applies the same migrations to both on open.
 */
public final class Database implements AutoCloseable {

  private static final String H2_USER = "sa";
  private final String url;
  private final DataSource dataSource;
  private final Jdbi jdbi;
  private final String h2User;
  private final String h2Password;
  private volatile JdbcConnectionPool h2Pool;

  private Database(String url, DataSource dataSource) {
    this.url = url;
    this.dataSource = dataSource;
    this.h2Pool = null;
    this.h2User = null;
    this.h2Password = null;
    this.jdbi = Jdbi.create(dataSource);
  }

  private Database(String url, String user, String password) {
    this.url = url;
    this.h2User = user;
    this.h2Password = password;
    this.h2Pool = JdbcConnectionPool.create(url, user, password);
    this.dataSource = h2Pool;
    this.jdbi = Jdbi.create(this::liveH2Connection);
  }

  /**
   * A pooled H2 connection that works. A write that fails (the disk full) makes H2 close the database; the pool's
   * connections to it then stay closed for good, while a new connection opens the file again once there is space.
   * So a closed one retires the whole pool and the server recovers without a restart.
   */
  private Connection liveH2Connection() throws SQLException {
    JdbcConnectionPool pool = h2Pool;
    Connection c = pool.getConnection();
    if (c.isValid(5)) {
      return c;
    }
    c.close();
    synchronized (this) {
      if (h2Pool == pool) {
        h2Pool = JdbcConnectionPool.create(url, h2User, h2Password);
        pool.dispose();
      }
    }
    return h2Pool.getConnection();
  }

  /**
   * The embedded default: {@code dataDir/rheumalens.mv.db}; writes that must survive a crash call {@link #sync()}.
   * No AUTO_SERVER: it opened a TCP port on every interface. One process has the file at a time, so
   * {@code rheumalens import} into a running server's folder is refused with a clear message (upload through the app,
   * or use PostgreSQL for several writers). The user has a random password kept in {@code dataDir/database.key}; a
   * database created before with an empty password is given it on first open.
   */
  public static Database embedded(Path dataDir) throws IOException {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("rheumalens")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=30000";
    String password = HexFormat.of().formatHex(DataFolder.secret(dataDir, "database.key", 24));
    setPasswordOfOldDatabase(url, password);
    return open(url, H2_USER, password);
  }

  private static void setPasswordOfOldDatabase(String url, String password) {
    try (Connection c = DriverManager.getConnection(url, H2_USER, password)) {
      return; // a new database, or one that has its password already
    } catch (SQLException e) {
      if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
        throw new IllegalStateException("the database in " + url.replaceAll(";.*", "").replace("jdbc:h2:file:", "")
            + " is open in another process (a running server?): stop it first (an import can go through the review "
            + "app's upload instead)", e);
      }
      if (e.getErrorCode() != ErrorCode.WRONG_USER_OR_PASSWORD) {
        throw new IllegalStateException("could not open " + url.replaceAll(";.*", "") + ": " + e.getMessage(), e);
      }
    }
    try (Connection c = DriverManager.getConnection(url, H2_USER, "")) {
      c.createStatement().execute("ALTER USER " + H2_USER + " SET PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("could not open " + url.replaceAll(";.*", "") + " with its key or the old empty "
          + "password: " + e.getMessage(), e);
    }
  }

  /** Opens {@code url} (jdbc:h2:... or jdbc:postgresql:...) and migrates it to the current schema. */
  public static Database open(String url, String user, String password) {
    Database db;
    if (url.startsWith("jdbc:h2:")) {
      db = new Database(url, user, password);
    } else if (url.startsWith("jdbc:postgresql:")) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url);
      if (user != null) {
        ds.setUser(user);
      }
      if (password != null) {
        ds.setPassword(password);
      }
      db = new Database(url, ds);
    } else {
      throw new IllegalArgumentException("unsupported database URL " + url + " (use jdbc:h2:... or jdbc:postgresql://...)");
    }
    try {
      Flyway.configure().dataSource(db.dataSource).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      db.close();
      throw new IllegalStateException("could not open or migrate " + url + ": " + e.getMessage(), e);
    }
    return db;
  }

  /**
   * Forces committed changes onto the disk before a write is acknowledged. H2 commits into its in-memory store and
   * writes to the file in the background (a killed process lost acknowledged rows in CrashIT); CHECKPOINT SYNC writes
   * and fsyncs. PostgreSQL commits are already durable (its WAL is flushed at commit).
   */
  public void sync() {
    if (h2Pool != null) {
      jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public String url() {
    return url;
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  @Override
  public void close() {
    if (h2Pool != null) {
      h2Pool.dispose();
    }
  }
}
