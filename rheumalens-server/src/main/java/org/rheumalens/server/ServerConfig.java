package org.rheumalens.server;

import java.io.IOException;
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
 * @param http where and how the app listens
 * @param intake how much the app takes in before it pushes back
 */
public record ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, int port, List<Path> modelDirs,
    String initialAdminPassword, long aiDelayMs, Http http, Intake intake) {

  /**
   * How much the app takes in before it pushes back, so a burst of uploads meets a clear refusal instead of a queue
   * or a disk that grows until something breaks.
   *
   * @param aiQueueMax uploads are answered 429 with Retry-After while this many images wait for the AI
   * @param minFreeBytes uploads are answered 507 while the data folder's disk has less than this free (plus twice the
   *     upload, which is spooled and then stored)
   * @param uploadMegapixelsPerMinute how much decoding one account's uploads may ask for ({@link
   *     org.rheumalens.server.ingest.UploadAllowance}); 0: no limit
   */
  public record Intake(int aiQueueMax, long minFreeBytes, int uploadMegapixelsPerMinute) {

    public static final int DEFAULT_UPLOAD_MEGAPIXELS_PER_MINUTE = 600;
    public static final Intake DEFAULT = new Intake(1000, 64L * 1024 * 1024, DEFAULT_UPLOAD_MEGAPIXELS_PER_MINUTE);

    public Intake {
      if (aiQueueMax < 1) {
        throw new IllegalArgumentException("the AI queue must hold at least one image, not " + aiQueueMax);
      }
      if (minFreeBytes < 0) {
        throw new IllegalArgumentException("the free-space reserve cannot be negative: " + minFreeBytes);
      }
      if (uploadMegapixelsPerMinute < 0) {
        throw new IllegalArgumentException("the upload allowance cannot be negative: " + uploadMegapixelsPerMinute);
      }
    }
  }

  /**
   * Where and how the app listens.
   *
   * @param host the address to bind (loopback by default: put a TLS proxy or {@code tlsKeystore} in front for others)
   * @param tlsKeystore a PKCS#12 or JKS key store with the server's key and certificate; null: plain HTTP
   * @param tlsPassword the key store's password
   * @param maxUploadBytes the largest upload request, refused with 413 before any of it is spooled
   */
  public record Http(String host, Path tlsKeystore, String tlsPassword, long maxUploadBytes) {

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;
    public static final Http DEFAULT = new Http("127.0.0.1", null, null, DEFAULT_MAX_UPLOAD_BYTES);

    public Http {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("the server needs an address to listen on (--host)");
      }
      if (maxUploadBytes <= 0) {
        throw new IllegalArgumentException("the upload limit must be positive, not " + maxUploadBytes);
      }
      if (tlsKeystore != null && tlsPassword == null) {
        throw new IllegalArgumentException("--tls-keystore needs --tls-password");
      }
    }

    public boolean tls() {
      return tlsKeystore != null;
    }
  }

  public ServerConfig {
    modelDirs = List.copyOf(modelDirs);
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("the server needs at least one model folder");
    }
    http = http == null ? Http.DEFAULT : http;
    intake = intake == null ? Intake.DEFAULT : intake;
  }

  /** The defaults for how the app listens (loopback, plain HTTP, 100 MB uploads). */
  public ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, int port, List<Path> modelDirs,
      String initialAdminPassword, long aiDelayMs) {
    this(dataDir, dbUrl, dbUser, dbPassword, port, modelDirs, initialAdminPassword, aiDelayMs, Http.DEFAULT, Intake.DEFAULT);
  }

  /** One model, the usual case. */
  public ServerConfig(Path dataDir, String dbUrl, String dbUser, String dbPassword, int port, Path modelDir,
      String initialAdminPassword, long aiDelayMs) {
    this(dataDir, dbUrl, dbUser, dbPassword, port, List.of(modelDir), initialAdminPassword, aiDelayMs);
  }

  public ServerConfig withHttp(Http other) {
    return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, port, modelDirs, initialAdminPassword, aiDelayMs, other, intake);
  }

  public ServerConfig withIntake(Intake other) {
    return new ServerConfig(dataDir, dbUrl, dbUser, dbPassword, port, modelDirs, initialAdminPassword, aiDelayMs, http, other);
  }

  /** The configured database, migrated: PostgreSQL when a URL is given, else the H2 file in the data folder. */
  public Database openDatabase() throws IOException {
    return dbUrl == null ? Database.embedded(dataDir) : Database.open(dbUrl, dbUser, dbPassword);
  }
}
