package org.rheumalens.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rheumalens.eval.GradingMetrics;
import org.rheumalens.eval.Kappa;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.server.Outage;
import org.rheumalens.server.auth.LoginThrottle;
import org.rheumalens.server.auth.PasswordHasher;
import org.rheumalens.server.auth.SessionStore;
import org.rheumalens.server.ingest.AiWorker;
import org.rheumalens.server.ingest.ImageArchive;
import org.rheumalens.server.ingest.Importer;
import org.rheumalens.server.ingest.Intake;
import org.rheumalens.server.ingest.TaskModels;
import org.rheumalens.server.ingest.UploadName;
import org.rheumalens.server.report.CaseReport;
import org.rheumalens.server.report.FhirReport;
import org.rheumalens.server.report.PdfReport;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Decision;
import org.rheumalens.server.store.Outline;
import org.rheumalens.server.store.OutlineDecision;
import org.rheumalens.server.store.Role;
import org.rheumalens.server.store.StoredImage;
import org.rheumalens.server.store.User;
import org.rheumalens.server.store.UserStore;
import org.rheumalens.server.store.WorklistFilter;
import org.rheumalens.tasks.GradingTask;

/**
 * The REST API (documented in {@code /api/openapi.json}). Every route but login and the API description needs a
 * session; every state change needs the session's CSRF token in {@code X-CSRF-Token}; admin routes need the admin
 * role. Views and decisions are written to the audit log.
 */
public final class ReviewApi {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReviewApi.class);
  static final String SESSION_COOKIE = "rl_session";
  static final int MAX_REASON = 1000;
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Set<String> PUBLIC = Set.of("/api/login", "/api/openapi.json");

  private final UserStore users;
  private final PasswordHasher hasher;
  private final SessionStore sessions;
  private final CaseStore cases;
  private final AuditLog audit;
  private final Importer importer;
  private final ImageArchive archive;
  private final AiWorker worker;
  private final TaskModels models;
  private final LoginThrottle throttle;
  private final Intake intake;
  private final boolean secureCookies;

  /** {@code secureCookies}: the app is served over TLS, so the session cookie is marked Secure. */
  public ReviewApi(UserStore users, PasswordHasher hasher, SessionStore sessions, CaseStore cases, AuditLog audit,
      Importer importer, ImageArchive archive, AiWorker worker, TaskModels models, LoginThrottle throttle, Intake intake,
      boolean secureCookies) {
    this.throttle = throttle;
    this.intake = intake;
    this.secureCookies = secureCookies;
    this.users = users;
    this.hasher = hasher;
    this.sessions = sessions;
    this.cases = cases;
    this.audit = audit;
    this.importer = importer;
    this.archive = archive;
    this.worker = worker;
    this.models = models;
  }

  public void register(RoutesConfig routes) {
    routes.before(SecurityHeaders::apply);
    routes.before("/api/*", this::authenticate);
    routes.get("/", ctx -> ctx.redirect("/index.html"));
    routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
    routes.post("/api/login", this::login);
    routes.post("/api/logout", this::logout);
    routes.post("/api/password", this::changePassword);
    routes.get("/api/session", ctx -> ctx.json(sessionView(session(ctx))));
    routes.get("/api/worklist", this::worklist);
    routes.post("/api/images", this::upload);
    routes.get("/api/images/{id}", this::caseView);
    routes.get("/api/images/{id}/display.png", this::displayImage);
    routes.get("/api/images/{id}/heatmap.png", this::heatmap);
    routes.get("/api/images/{id}/overlay.png", this::overlay);
    routes.post("/api/images/{id}/decision", this::decide);
    routes.get("/api/images/{id}/report.pdf", this::pdfReport);
    routes.get("/api/images/{id}/fhir", this::fhirReport);
    routes.get("/api/images/{id}/audit", ctx -> ctx.json(audit.forEntity("image", imageId(ctx))));
    routes.get("/api/admin/users", ctx -> ctx.json(users.all()));
    routes.post("/api/admin/users", this::createUser);
    routes.post("/api/admin/users/{id}/deactivate", this::deactivateUser);
    routes.get("/api/admin/agreement", this::agreement);
    routes.get("/api/admin/audit", this::auditLog);
    routes.get("/api/admin/audit/verify", ctx -> ctx.json(audit.verification()));
    routes.exception(ApiError.Answered.class, (e, ctx) -> { });
    routes.exception(ApiError.class, ReviewApi::answer);
    routes.exception(NumberFormatException.class, (e, ctx) -> ctx.status(400).json(Map.of("error", "not a number: " + e.getMessage())));
    routes.exception(java.time.format.DateTimeParseException.class,
        (e, ctx) -> ctx.status(400).json(Map.of("error", "not a date (YYYY-MM-DD): " + e.getParsedString())));
    routes.exception(io.javalin.http.HttpResponseException.class,
        (e, ctx) -> ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
    routes.exception(Exception.class, (e, ctx) -> {
      Optional<Outage> outage = Outage.of(e);
      if (outage.isPresent()) {
        LOG.warn("{} {}: {}", ctx.method(), ctx.path(), outage.get().reason());
        UnreadBody.drainOrClose(ctx);
        answer(ApiError.of(outage.get()), ctx);
        return;
      }
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      ctx.status(500).json(Map.of("error", "internal error; the server log has the details"));
    });
  }

  private static void answer(ApiError e, Context ctx) {
    if (e.retryAfterSeconds() >= 0) {
      ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    ctx.status(e.status()).json(Map.of("error", e.getMessage()));
  }

  // --- authentication ---------------------------------------------------------------------------------------------

  private void authenticate(Context ctx) {
    if (PUBLIC.contains(ctx.path())) {
      return;
    }
    SessionStore.Session session = sessions.find(ctx.cookie(SESSION_COOKIE))
        .orElseThrow(() -> new ApiError(401, "not logged in"));
    if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD
        && !session.csrfToken().equals(ctx.header(CSRF_HEADER))) {
      throw new ApiError(403, "missing or wrong " + CSRF_HEADER + " header");
    }
    if (ctx.path().startsWith("/api/admin/") && session.user().role() != Role.ADMIN) {
      throw new ApiError(403, "administrators only");
    }
    ctx.attribute("session", session);
  }

  private static SessionStore.Session session(Context ctx) {
    return ctx.attribute("session");
  }

  private static User user(Context ctx) {
    return session(ctx).user();
  }

  /** The signed-in user's name, for what runs after authentication outside this class (the upload intake). */
  public static String account(Context ctx) {
    return user(ctx).username();
  }

  private void login(Context ctx) {
    JsonBody body = JsonBody.of(ctx);
    String username = body.string("username", 64);
    String password = body.string("password", 1024);
    String address = ctx.ip();
    throttle.blocked(username, address).ifPresent(wait -> {
      ctx.header("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      throw new ApiError(429, "too many failed logins; try again in " + Math.max(1, wait.toMinutes()) + " minute(s)");
    });
    boolean ok = hasher.verify(password.toCharArray(), users.passwordHash(username));
    if (!ok) {
      throttle.failed(username, address);
      audit.record(null, "login_failed", "user", null, username + " from " + address);
      throw new ApiError(401, "wrong user name or password");
    }
    throttle.succeeded(username);
    User user = users.byUsername(username).orElseThrow();
    SessionStore.Session session = sessions.open(user);
    audit.record(user, "login", "user", user.id(), null);
    ctx.header("Set-Cookie", cookie(session.token(), SessionStore.LIFETIME.toSeconds()));
    ctx.json(sessionView(session));
  }

  private String cookie(String value, long maxAgeSeconds) {
    return SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
        + (secureCookies ? "; Secure" : "");
  }

  private void logout(Context ctx) {
    sessions.close(session(ctx).token());
    audit.record(user(ctx), "logout", "user", user(ctx).id(), null);
    ctx.header("Set-Cookie", cookie("", 0));
    ctx.status(204);
  }

  /** Changes the caller's own password (the current one is asked again); the caller's other sessions end. */
  private void changePassword(Context ctx) {
    JsonBody body = JsonBody.of(ctx);
    String current = body.string("currentPassword", 1024);
    String fresh = body.string("newPassword", 1024);
    User user = user(ctx);
    if (!hasher.verify(current.toCharArray(), users.passwordHash(user.username()))) {
      throttle.failed(user.username(), ctx.ip());
      throw new ApiError(403, "the current password is wrong");
    }
    String hash;
    try {
      hash = hasher.hash(fresh.toCharArray());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    users.setPasswordHash(user.id(), hash);
    sessions.closeAllOf(user.id(), session(ctx).token());
    audit.record(user, "password_changed", "user", user.id(), null);
    ctx.status(204);
  }

  private static Map<String, Object> sessionView(SessionStore.Session s) {
    return Map.of("user", s.user(), "csrfToken", s.csrfToken());
  }

  // --- tasks ------------------------------------------------------------------------------------------------------

  /** The task a request names (query or form parameter {@code task}), else the default; unknown ids are a 400. */
  private GradingTask requestedTask(String taskId) {
    try {
      return models.task(blankToNull(taskId));
    } catch (TaskModels.UnknownTaskException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /** The task an image was uploaded for; an image of a task this server no longer serves cannot be shown or decided. */
  private GradingTask taskOf(StoredImage image) {
    try {
      return models.task(image.taskId());
    } catch (TaskModels.UnknownTaskException e) {
      throw new ApiError(409, "image " + image.id() + ": " + e.getMessage());
    }
  }

  /** A task as the pages need it; {@code segmentation}: its model outlines the {@code grades} after the first. */
  private Map<String, Object> taskView(GradingTask task) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", task.id());
    out.put("title", task.title());
    out.put("grades", task.grades());
    out.put("measures_joint_space", task.measuresJointSpace());
    out.put("segmentation", models.segments(task.id()));
    return out;
  }

  /** What every task view answers besides its own keys: the task shown and all served tasks. */
  private void putTasks(Map<String, Object> out, GradingTask task) {
    out.put("task", task.id());
    out.put("tasks", models.tasks().stream().map(this::taskView).toList());
    out.put("grades", task.grades());
  }

  // --- cases ------------------------------------------------------------------------------------------------------

  private void worklist(Context ctx) {
    String gradeParam = ctx.queryParam("grade");
    String from = ctx.queryParam("from");
    String to = ctx.queryParam("to");
    GradingTask task = requestedTask(ctx.queryParam("task"));
    String status = blankToNull(ctx.queryParam("status"));
    if (status != null && !WorklistFilter.STATUSES.contains(status)) {
      throw ApiError.badRequest("status must be one of " + String.join(", ", WorklistFilter.STATUSES));
    }
    WorklistFilter filter = new WorklistFilter(status,
        gradeParam == null || gradeParam.isBlank() ? null : Integer.valueOf(gradeParam),
        from == null || from.isBlank() ? null : LocalDate.parse(from), to == null || to.isBlank() ? null : LocalDate.parse(to),
        task.id(), 500);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queue", cases.queueCounts());
    putTasks(out, task);
    out.put("items", cases.worklist(filter));
    ctx.json(out);
  }

  private void upload(Context ctx) throws IOException {
    List<UploadedFile> files = uploadedFiles(ctx);
    if (files.isEmpty()) {
      throw ApiError.badRequest("no files: send multipart/form-data with one or more 'files' parts");
    }
    String patient = ctx.formParam("patient");
    GradingTask task = requestedTask(ctx.formParam("task"));
    List<Map<String, Object>> accepted = new ArrayList<>();
    List<Map<String, Object>> rejected = new ArrayList<>();
    Outage outage = null;
    if (patient != null && patient.length() > 64) {
      throw ApiError.badRequest("patient: at most 64 characters");
    }
    for (UploadedFile file : files) {
      String shown = UploadName.forMessages(file.filename());
      try (InputStream in = file.content()) {
        Importer.Imported imported = importer.importStream(in, file.filename(), patient, task, user(ctx));
        intake.charge(account(ctx), imported.pixels());
        accepted.add(Map.of("file", shown, "imageId", imported.imageId(), "patient", imported.patient(),
            "duplicate", imported.duplicate(), "task", imported.taskId()));
      } catch (ImageReadException e) {
        intake.charge(account(ctx), 0);
        rejected.add(Map.of("file", shown, "error", e.getMessage()));
      } catch (IOException | RuntimeException e) {
        // One file that cannot be stored must not abort the others, stored or still to come; an outage (disk full,
        // database gone) answers the whole upload with its own status when nothing could be stored.
        Optional<Outage> cause = Outage.of(e);
        if (cause.isPresent()) {
          outage = cause.get();
          LOG.warn("upload of one file failed: {}", outage.reason());
        } else {
          LOG.warn("upload of one file failed", e);
        }
        rejected.add(Map.of("file", shown, "error", shown + ": could not be stored: "
            + cause.map(Outage::reason).orElse(e.getMessage())));
      }
    }
    if (accepted.isEmpty() && outage != null) {
      throw ApiError.of(outage);
    }
    worker.poke();
    ctx.status(accepted.isEmpty() ? 422 : 202).json(Map.of("accepted", accepted, "rejected", rejected));
  }

  /** The uploaded files; a body Jetty cannot parse (a NUL in a part header, over the size limit) is a 4xx naming why. */
  private static List<UploadedFile> uploadedFiles(Context ctx) throws IOException {
    try {
      return ctx.uploadedFiles("files");
    } catch (Exception e) {
      int status = 400;
      String reason = "the upload could not be read as multipart/form-data: " + e.getMessage();
      Optional<Outage> outage = Outage.of(e);
      if (outage.isPresent()) {
        // Jetty spools parts into the data folder; a full disk there is not the client's fault.
        status = outage.get().status();
        reason = outage.get().reason();
        ctx.header("Retry-After", String.valueOf(ApiError.of(outage.get()).retryAfterSeconds()));
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
          status = http.getCode();
          reason = "the upload could not be read: " + http.getReason();
          break;
        }
      }
      // Written and flushed now: the failed body leaves the connection to be closed when the handler returns, and a
      // response still buffered then is lost (the client saw no answer at all).
      ctx.status(status).header("Connection", "close").contentType("application/json");
      ctx.res().getOutputStream().write(ApiError.json(reason));
      ctx.res().flushBuffer();
      throw new ApiError.Answered();
    }
  }

  private void caseView(Context ctx) {
    long id = imageId(ctx);
    StoredImage image = cases.image(id).orElseThrow(() -> ApiError.notFound("image " + id));
    audit.record(user(ctx), "view_case", "image", id, null);
    Map<String, Object> out = new LinkedHashMap<>();
    GradingTask task = taskOf(image);
    out.put("image", image);
    out.put("grades", task.grades());
    out.put("task", taskView(task));
    AiResult result = cases.result(id).orElse(null);
    out.put("result", result);
    // Sizes worded once, here, so the page says what the PDF says.
    out.put("outline_text", result == null || result.outline() == null ? List.of()
        : result.outline().structures().stream().map(Outline.Structure::describe).toList());
    out.put("phi_warning", cases.phiWarning(id).orElse(null));
    out.put("decisions", cases.decisions(id));
    out.put("outline_decisions", cases.outlineDecisions(id));
    List<Map<String, Object>> history = new ArrayList<>();
    for (StoredImage other : cases.imagesOfPatient(image.patientId())) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("imageId", other.id());
      row.put("studyDate", other.studyDate());
      row.put("laterality", other.laterality());
      row.put("taskId", other.taskId());
      row.put("aiGrade", cases.result(other.id()).map(AiResult::grade).orElse(null));
      List<Decision> decisions = cases.decisions(other.id());
      row.put("finalGrade", decisions.isEmpty() ? null : decisions.get(decisions.size() - 1).finalGrade());
      history.add(row);
    }
    out.put("history", history);
    ctx.json(out);
  }

  private void displayImage(Context ctx) throws IOException {
    StoredImage image = cases.image(imageId(ctx)).orElseThrow(() -> ApiError.notFound("image"));
    byte[] png = DisplayImage.png(archive.load(image), taskOf(image));
    audit.record(user(ctx), "view_image", "image", image.id(), null);
    ctx.contentType("image/png").result(png);
  }

  private void heatmap(Context ctx) throws IOException {
    long id = imageId(ctx);
    picture(ctx, "view_heatmap", cases.result(id).map(AiResult::heatmapPath)
        .orElseThrow(() -> ApiError.notFound("heatmap of image " + id)));
  }

  /** The mask overlay of a segmentation task's image (with its legend of structures and sizes). */
  private void overlay(Context ctx) throws IOException {
    long id = imageId(ctx);
    picture(ctx, "view_overlay", cases.result(id).map(AiResult::outline).map(Outline::overlayPath)
        .orElseThrow(() -> ApiError.notFound("outline of image " + id + " (not a segmentation task, or not read yet)")));
  }

  /** A stored picture of the AI's, audited as {@code event} (the path prefix already set Cache-Control: no-store). */
  private void picture(Context ctx, String event, String path) throws IOException {
    byte[] png = Files.readAllBytes(archive.resolve(path));
    audit.record(user(ctx), event, "image", imageId(ctx), null);
    ctx.contentType("image/png").result(png);
  }

  private void decide(Context ctx) {
    long id = imageId(ctx);
    StoredImage image = cases.image(id).orElseThrow(() -> ApiError.notFound("image " + id));
    GradingTask task = taskOf(image);
    JsonBody body = JsonBody.of(ctx);
    if (models.segments(task.id())) {
      decideOutline(ctx, image, task, body);
      return;
    }
    String action = body.string("action", 16);
    Integer aiGrade = cases.result(id).map(AiResult::grade).orElse(null);
    String given = body.optionalString("reason", MAX_REASON);
    String reason = given == null ? null : given.trim();
    int finalGrade;
    if (Decision.ACCEPT.equals(action)) {
      if (aiGrade == null) {
        throw ApiError.badRequest("there is no AI grade to accept for image " + id + ": override with a grade and a reason");
      }
      finalGrade = aiGrade;
    } else if (Decision.OVERRIDE.equals(action)) {
      Integer grade = body.optionalInt("grade");
      if (grade == null || grade < 0 || grade >= task.classes()) {
        throw ApiError.badRequest("override needs a grade 0.." + (task.classes() - 1) + " (" + task.title() + ": "
            + String.join(", ", task.grades()) + ")");
      }
      if (reason == null || reason.isEmpty()) {
        throw ApiError.badRequest("override needs a reason");
      }
      finalGrade = grade;
    } else {
      throw ApiError.badRequest("action must be 'accept' or 'override'");
    }
    User reader = user(ctx);
    long decisionId = audit.transaction(h -> {
      long d = cases.insertDecision(h, image.id(), reader.id(), action, aiGrade, finalGrade, reason);
      audit.record(h, reader, "decision", "image", image.id(), action + " grade " + finalGrade
          + (aiGrade == null ? "" : " (AI " + aiGrade + ")") + (reason == null || reason.isEmpty() ? "" : ": " + reason));
      return d;
    });
    ctx.status(201).json(Map.of("decisionId", decisionId, "imageId", id, "finalGrade", finalGrade, "action", action));
  }

  /**
   * A reader's verdict on a segmentation: {@code action} accept or reject (a reason required), for one
   * {@code structure} or, without one, for every structure of the task; one decision row per structure.
   */
  private void decideOutline(Context ctx, StoredImage image, GradingTask task, JsonBody body) {
    String action = body.string("action", 16);
    String structure = blankToNull(body.optionalString("structure", 64));
    String given = body.optionalString("reason", MAX_REASON);
    String reason = given == null || given.isBlank() ? null : given.trim();
    List<String> structures = task.grades().subList(1, task.classes());
    if (!OutlineDecision.ACCEPT.equals(action) && !OutlineDecision.REJECT.equals(action)) {
      throw ApiError.badRequest("action must be 'accept' or 'reject' (a segmentation task: " + task.title() + ")");
    }
    if (structure != null && !structures.contains(structure)) {
      throw ApiError.badRequest("structure must be one of " + String.join(", ", structures) + ", not '" + structure + "'");
    }
    if (OutlineDecision.REJECT.equals(action) && reason == null) {
      throw ApiError.badRequest("reject needs a reason");
    }
    Outline outline = cases.result(image.id()).map(AiResult::outline).orElseThrow(() -> ApiError.badRequest(
        "there is no outline to judge for image " + image.id() + " yet (status " + image.status() + ")"));
    List<String> judged = structure == null ? structures : List.of(structure);
    User reader = user(ctx);
    List<Long> ids = audit.transaction(h -> {
      List<Long> rows = new ArrayList<>();
      for (String name : judged) {
        rows.add(cases.insertOutlineDecision(h, image.id(), reader.id(), name, action, reason));
      }
      audit.record(h, reader, "decision", "image", image.id(), action + " outline of " + String.join(", ", judged)
          + " (AI " + outline.summary() + ")" + (reason == null ? "" : ": " + reason));
      return rows;
    });
    ctx.status(201).json(Map.of("decisionIds", ids, "imageId", image.id(), "structures", judged, "action", action));
  }

  private CaseReport report(Context ctx, String format) throws IOException {
    long id = imageId(ctx);
    StoredImage image = cases.image(id).orElseThrow(() -> ApiError.notFound("image " + id));
    AiResult result = cases.result(id).orElse(null);
    List<Decision> decisions = cases.decisions(id);
    GradingTask task = taskOf(image);
    java.awt.image.BufferedImage picture;
    if (result != null && result.outline() != null) {
      picture = javax.imageio.ImageIO.read(archive.resolve(result.outline().overlayPath()).toFile());
    } else {
      java.awt.image.BufferedImage heatmap = result == null || result.heatmapPath() == null ? null
          : javax.imageio.ImageIO.read(archive.resolve(result.heatmapPath()).toFile());
      picture = DisplayImage.withHeatmap(archive.load(image), task, heatmap, 0.45f);
    }
    audit.record(user(ctx), "report_" + format, "image", id, null);
    return new CaseReport(task.id(), task.title(), image, task.grades(), result,
        decisions.isEmpty() ? null : decisions.get(decisions.size() - 1), standing(cases.outlineDecisions(id)), picture,
        java.time.OffsetDateTime.now());
  }

  /** The decision standing on each structure: the last one made on it. */
  private static List<OutlineDecision> standing(List<OutlineDecision> all) {
    Map<String, OutlineDecision> last = new LinkedHashMap<>();
    all.forEach(d -> last.put(d.structure(), d));
    return List.copyOf(last.values());
  }

  private void pdfReport(Context ctx) throws IOException {
    CaseReport report = report(ctx, "pdf");
    ctx.contentType("application/pdf").header("Content-Disposition", "inline; filename=\"rheumalens-image-"
        + report.image().id() + ".pdf\"").result(PdfReport.render(report));
  }

  private void fhirReport(Context ctx) throws IOException {
    CaseReport report = report(ctx, "fhir");
    ctx.json(FhirReport.of(report, "/api/images/" + report.image().id() + "/report.pdf"));
    ctx.contentType("application/fhir+json");
  }

  // --- administration ---------------------------------------------------------------------------------------------

  private void createUser(Context ctx) {
    JsonBody body = JsonBody.of(ctx);
    String username = body.string("username", 64).trim();
    // "null" and "undefined" are what a client sends by mistake for a missing name; no one is called that.
    if (!username.matches("[a-z0-9._-]{2,64}") || username.equals("null") || username.equals("undefined")) {
      throw ApiError.badRequest("user name: 2-64 of a-z 0-9 . _ - (not 'null' or 'undefined')");
    }
    if (users.byUsername(username).isPresent()) {
      throw new ApiError(409, "user " + username + " exists");
    }
    Role role;
    try {
      role = Role.fromDb(body.string("role", 16));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("role must be reader or admin");
    }
    String hash;
    try {
      hash = hasher.hash(body.string("password", 1024).toCharArray());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    String given = body.optionalString("displayName", 200);
    String displayName = given == null || given.isBlank() ? username : given.strip();
    User created = users.create(username, displayName, role, hash);
    audit.record(user(ctx), "user_created", "user", created.id(), username + " (" + role.dbValue() + ")");
    ctx.status(201).json(created);
  }

  /** Ends a user's access: no login, sessions closed; their decisions and audit events stay attributed to them. */
  private void deactivateUser(Context ctx) {
    long id = Long.parseLong(ctx.pathParam("id"));
    User target = users.byId(id).orElseThrow(() -> ApiError.notFound("user " + id));
    if (target.id() == user(ctx).id()) {
      throw new ApiError(409, "you cannot deactivate yourself");
    }
    if (users.deactivate(id)) {
      sessions.closeAllOf(id, null);
      audit.record(user(ctx), "user_deactivated", "user", id, target.username());
    }
    ctx.json(users.byId(id).orElseThrow());
  }

  private void agreement(Context ctx) {
    GradingTask task = requestedTask(ctx.queryParam("task"));
    if (models.segments(task.id())) {
      // Outlines have no grade to compare: how often readers accepted each structure's outline is the agreement.
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("n", cases.imagesWithOutlineDecisions(task.id()));
      putTasks(out, task);
      out.put("outlines", cases.outlineVerdicts(task.id()));
      ctx.json(out);
      return;
    }
    List<int[]> pairs = cases.agreementPairs(task.id());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", pairs.size());
    putTasks(out, task);
    if (!pairs.isEmpty()) {
      int[] ai = pairs.stream().mapToInt(p -> p[0]).toArray();
      int[] reader = pairs.stream().mapToInt(p -> p[1]).toArray();
      GradingMetrics m = GradingMetrics.compute(task.classes(), reader, ai);
      out.put("accuracy", m.accuracy());
      // The same statistics as `rheumalens agree` reports for two readers; undefined ones (all one grade) are null.
      out.put("cohen_kappa", finite(Kappa.of(m.confusion(), Kappa.Weights.UNWEIGHTED)));
      out.put("linear_weighted_kappa", finite(Kappa.of(m.confusion(), Kappa.Weights.LINEAR)));
      out.put("quadratic_weighted_kappa", finite(m.quadraticWeightedKappa()));
      out.put("confusion_matrix_reader_rows_ai_columns", m.confusion().toArray());
    }
    ctx.json(out);
  }

  private void auditLog(Context ctx) {
    String limitParam = ctx.queryParam("limit");
    int limit = limitParam == null || limitParam.isBlank() ? 200 : Integer.parseInt(limitParam.trim());
    if (limit < 1 || limit > 5000) {
      throw ApiError.badRequest("limit must be 1..5000, not " + limit);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("chain_broken_at", audit.verify());
    out.put("events", audit.latest(limit));
    ctx.json(out);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static long imageId(Context ctx) {
    return Long.parseLong(ctx.pathParam("id"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String openApi() throws IOException {
    try (InputStream in = ReviewApi.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json missing from the classpath");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
