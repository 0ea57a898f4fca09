package org.rheumalens.server;

import java.nio.file.Path;
import java.util.List;
import org.rheumalens.server.store.Database;

/**
 * How to run the review server.
 *
 * @param dataDir database (H2 default), de-identified images, heatmaps and the pseudonym key live here
 * @param dbUrl null for the embedded H2 file in {@code dataDir}, or a jdbc:postgresql:// URL
 * @param dbUser database user (PostgreSQL)
 * @param dbPassword database password (PostgreSQL)
 * @param port HTTP port (0: any free port)
 * @param modelDirs the grading models, one per task; the first one's task is the default (normally the bundled
 *     models/knee-kl alone)
 * @param initialAdminPassword password of the "admin" user created on first start; null: a random one, printed once
 * @param aiDelayMs pause before each AI job (0; tests use it to crash the server mid-processing)
 */
public record ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, int port, List<Path> modelDirs,
    String initialAdminPassword, long aiDelayMs) {

  public ServerConfig {
    modelDirs = List.copyOf(modelDirs);
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("the server needs at least one model folder");
    }
  }

  /** One model, the usual case. */
  public ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, int port, Path modelDir,
      String initialAdminPassword, long aiDelayMs) {
    this(dataDir, dbUrl, dbUser, dbPassword, port, List.of(modelDir), initialAdminPassword, aiDelayMs);
  }

  /** The configured database, migrated: PostgreSQL when a URL is given, else the H2 file in the data folder. */
  public Database openDatabase() {
    return dbUrl == null ? Database.embedded(dataDir) : Database.open(dbUrl, dbUser, dbPassword);
  }
}
