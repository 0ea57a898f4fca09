package org.rheumalens.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.rheumalens.server.auth.LoginThrottle;
import org.rheumalens.server.auth.PasswordHasher;
import org.rheumalens.server.auth.SessionStore;
import org.rheumalens.server.http.ApiError;
import org.rheumalens.server.http.ReviewApi;
import org.rheumalens.server.http.UnreadBody;
import org.rheumalens.server.ingest.AiWorker;
import org.rheumalens.server.ingest.ImageArchive;
import org.rheumalens.server.ingest.Importer;
import org.rheumalens.server.ingest.Intake;
import org.rheumalens.server.ingest.Pseudonyms;
import org.rheumalens.server.ingest.TaskModels;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Database;
import org.rheumalens.server.store.Role;
import org.rheumalens.server.store.UserStore;

/**
 * The clinical review app: REST API and web pages over the review database, with the AI in a background worker.
 * Built from a {@link ServerConfig}; closing it stops the web server, the worker, the models and the database.
 */
public final class ReviewServer implements AutoCloseable {

  public static final String ADMIN = "admin";

  private final Database database;
  private final TaskModels models;
  private final AiWorker worker;
  private final Javalin web;

  private ReviewServer(Database database, TaskModels models, AiWorker worker, Javalin web) {
    this.database = database;
    this.models = models;
    this.worker = worker;
    this.web = web;
  }

  public static ReviewServer start(ServerConfig config, PrintStream log) throws IOException {
    DataFolder.makePrivate(config.dataDir());
    Database database = config.openDatabase();
    DataFolder.makePrivate(config.dataDir()); // and the files the database has just created
    // ImageIO's default disk cache writes pixels to java.io.tmpdir, outside the owner-only data folder.
    ImageIO.setUseCache(false);
    TaskModels models = null;
    AiWorker worker = null;
    try {
      UserStore users = new UserStore(database.jdbi());
      PasswordHasher hasher = new PasswordHasher();
      AuditLog audit = new AuditLog(database.jdbi(), database::sync);
      createFirstAdmin(users, hasher, audit, config, log);
      CaseStore cases = new CaseStore(database.jdbi());
      ImageArchive archive = new ImageArchive(config.dataDir().resolve("images"));
      Importer importer = new Importer(cases, audit, archive, Pseudonyms.forDataDir(config.dataDir()),
          config.dataDir().resolve("incoming"));
      models = TaskModels.open(config.modelDirs());
      int adopted = cases.assignTaskToImagesWithout(models.defaultTask().id());
      if (adopted > 0) {
        log.printf("%d image(s) stored before images had a task now belong to the default task %s%n", adopted,
            models.defaultTask().id());
      }
      worker = new AiWorker(cases, audit, archive, models, config.aiDelayMs());
      ServerConfig.Http http = config.http();
      Intake intake = new Intake(cases, config.dataDir(), config.intake(), Clock.systemUTC());
      ReviewApi api = new ReviewApi(users, hasher, new SessionStore(database.jdbi(), users), cases, audit, importer,
          archive, worker, models, new LoginThrottle(Clock.systemUTC()), intake, http.tls());
      Path spool = DataFolder.privateDirectories(config.dataDir().resolve("incoming").resolve("spool"));
      ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      Javalin web = Javalin.create(cfg -> {
        cfg.jsonMapper(new JavalinJackson(json, false));
        cfg.staticFiles.add("/web", Location.CLASSPATH);
        // JSON bodies are small; uploads (multipart) have their own limit, checked before anything is read.
        cfg.http.maxRequestSize = 1024 * 1024;
        cfg.jetty.multipartConfig.cacheDirectory(spool.toString());
        cfg.jetty.multipartConfig.maxFileSize(http.maxUploadBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(http.maxUploadBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        cfg.jetty.addConnector((server, httpConfig) -> Listener.connector(server, httpConfig, http, config.port()));
        cfg.startup.showJavalinBanner = false;
        api.register(cfg.routes);
        cfg.routes.before("/api/images", ctx -> {
          refuseOversizedUpload(ctx, http.maxUploadBytes());
          if (ctx.method() == io.javalin.http.HandlerType.POST) {
            try {
              intake.admit(ReviewApi.account(ctx), ctx.contentLength());
            } catch (ApiError refused) {
              UnreadBody.drainOrClose(ctx);
              throw refused;
            }
          }
        });
      });
      web.start();
      log.printf("RheumaLens review app on %s://%s:%d (database %s, %s)%n", http.tls() ? "https" : "http",
          http.host().contains(":") ? "[" + http.host() + "]" : http.host(), web.port(),
          database.url().replaceAll(";.*", ""), describe(models));
      return new ReviewServer(database, models, worker, web);
    } catch (IOException | RuntimeException e) {
      closeQuietly(worker, models, database);
      throw e;
    }
  }

  /** 413 from the declared length, before Jetty spools a byte of the body (multipart's own limit catches chunked ones). */
  private static void refuseOversizedUpload(io.javalin.http.Context ctx, long maxBytes) {
    if (ctx.method() == io.javalin.http.HandlerType.POST && ctx.contentLength() > maxBytes) {
      ctx.header("Connection", "close");
      throw new ApiError(413, "the upload is " + ctx.contentLength() + " bytes; this server takes at most " + maxBytes
          + " bytes a request (serve --max-upload-mb): send fewer files at a time");
    }
  }

  /** Starts the server and blocks until the JVM shuts down (Ctrl-C, SIGTERM), closing it on the way out. */
  public static void serveUntilShutdown(ServerConfig config, PrintStream log) throws IOException, InterruptedException {
    ReviewServer server = start(config, log);
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  /** The review database (tests look behind the API with it). */
  Database database() {
    return database;
  }

  public int port() {
    return web.port();
  }

  /** Every HTTP endpoint the server answers, as "METHOD /path" (before/after filters left out); the OpenAPI test uses it. */
  public java.util.List<String> endpoints() {
    return web.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path)
        .sorted()
        .toList();
  }

  private static void createFirstAdmin(UserStore users, PasswordHasher hasher, AuditLog audit, ServerConfig config,
      PrintStream log) {
    if (users.count() > 0) {
      return;
    }
    String password = config.initialAdminPassword();
    if (password == null) {
      byte[] bytes = new byte[12];
      new SecureRandom().nextBytes(bytes);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      log.printf("first start: created user '%s' with password %s (shown once; change it)%n", ADMIN, password);
    }
    var admin = users.create(ADMIN, "Administrator", Role.ADMIN, hasher.hash(password.toCharArray()));
    audit.record(admin, "user_created", "user", admin.id(), "first administrator");
  }

  private static String describe(TaskModels models) {
    return models.tasks().stream()
        .map(t -> "task " + t.id() + ": model " + models.modelOf(t.id()))
        .collect(java.util.stream.Collectors.joining(", ")) + (models.tasks().size() > 1 ? "; default " + models.defaultTask().id() : "");
  }

  private static void closeQuietly(AiWorker worker, TaskModels models, Database database) {
    try {
      if (worker != null) {
        worker.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (models != null) {
      models.close();
    }
    database.close();
  }

  @Override
  public void close() {
    web.stop();
    closeQuietly(worker, models, database);
  }
}
