package org.rheumalens.server.store;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The review database: an H2 file in PostgreSQL mode by default, PostgreSQL when a {@code jdbc:postgresql:} URL is
 * given. Flyway applies the same migrations to both on open.
 */
public final class Database implements AutoCloseable {

  private final String url;
  private final DataSource dataSource;
  private final Jdbi jdbi;
  private final JdbcConnectionPool h2Pool;

  private Database(String url, DataSource dataSource, JdbcConnectionPool h2Pool) {
    this.url = url;
    this.dataSource = dataSource;
    this.h2Pool = h2Pool;
    this.jdbi = Jdbi.create(dataSource);
  }

  /**
   * The embedded default: {@code dataDir/rheumalens.mv.db}; writes that must survive a crash call {@link #sync()}.
   * AUTO_SERVER lets {@code rheumalens import} add images while the server runs.
   */
  public static Database embedded(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("rheumalens")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
    return open(url, "sa", "");
  }

  /** Opens {@code url} (jdbc:h2:... or jdbc:postgresql:...) and migrates it to the current schema. */
  public static Database open(String url, String user, String password) {
    Database db;
    if (url.startsWith("jdbc:h2:")) {
      JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
      db = new Database(url, pool, pool);
    } else if (url.startsWith("jdbc:postgresql:")) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url);
      if (user != null) {
        ds.setUser(user);
      }
      if (password != null) {
        ds.setPassword(password);
      }
      db = new Database(url, ds, null);
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
