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
import java.util.Set;
import org.rheumalens.eval.GradingMetrics;
import org.rheumalens.eval.Kappa;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.server.auth.PasswordHasher;
import org.rheumalens.server.auth.SessionStore;
import org.rheumalens.server.ingest.AiWorker;
import org.rheumalens.server.ingest.ImageArchive;
import org.rheumalens.server.ingest.Importer;
import org.rheumalens.server.ingest.TaskModels;
import org.rheumalens.server.report.CaseReport;
import org.rheumalens.server.report.FhirReport;
import org.rheumalens.server.report.PdfReport;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Decision;
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

  static final String SESSION_COOKIE = "rl_session";
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

  public ReviewApi(UserStore users, PasswordHasher hasher, SessionStore sessions, CaseStore cases, AuditLog audit,
      Importer importer, ImageArchive archive, AiWorker worker, TaskModels models) {
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
    routes.before("/api/*", this::authenticate);
    routes.get("/", ctx -> ctx.redirect("/index.html"));
    routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
    routes.post("/api/login", this::login);
    routes.post("/api/logout", this::logout);
    routes.get("/api/session", ctx -> ctx.json(sessionView(session(ctx))));
    routes.get("/api/worklist", this::worklist);
    routes.post("/api/images", this::upload);
    routes.get("/api/images/{id}", this::caseView);
    routes.get("/api/images/{id}/display.png", this::displayImage);
    routes.get("/api/images/{id}/heatmap.png", this::heatmap);
    routes.post("/api/images/{id}/decision", this::decide);
    routes.get("/api/images/{id}/report.pdf", this::pdfReport);
    routes.get("/api/images/{id}/fhir", this::fhirReport);
    routes.get("/api/images/{id}/audit", ctx -> ctx.json(audit.forEntity("image", imageId(ctx))));
    routes.get("/api/admin/users", ctx -> ctx.json(users.all()));
    routes.post("/api/admin/users", this::createUser);
    routes.get("/api/admin/agreement", this::agreement);
    routes.get("/api/admin/audit", this::auditLog);
    routes.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.getMessage())));
    routes.exception(NumberFormatException.class, (e, ctx) -> ctx.status(400).json(Map.of("error", "not a number: " + e.getMessage())));
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

  private void login(Context ctx) {
    Map<?, ?> body = ctx.bodyAsClass(Map.class);
    String username = String.valueOf(body.get("username"));
    String password = String.valueOf(body.get("password"));
    boolean ok = users.passwordHash(username).map(h -> hasher.verify(password.toCharArray(), h)).orElse(false);
    if (!ok) {
      audit.record(null, "login_failed", "user", null, username);
      throw new ApiError(401, "wrong user name or password");
    }
    User user = users.byUsername(username).orElseThrow();
    SessionStore.Session session = sessions.open(user);
    audit.record(user, "login", "user", user.id(), null);
    ctx.header("Set-Cookie", SESSION_COOKIE + "=" + session.token() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + SessionStore.LIFETIME.toSeconds());
    ctx.json(sessionView(session));
  }

  private void logout(Context ctx) {
    sessions.close(session(ctx).token());
    audit.record(user(ctx), "logout", "user", user(ctx).id(), null);
    ctx.header("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
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

  private static Map<String, Object> taskView(GradingTask task) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", task.id());
    out.put("title", task.title());
    out.put("grades", task.grades());
    out.put("measures_joint_space", task.measuresJointSpace());
    return out;
  }

  /** What every task view answers besides its own keys: the task shown and all served tasks. */
  private void putTasks(Map<String, Object> out, GradingTask task) {
    out.put("task", task.id());
    out.put("tasks", models.tasks().stream().map(ReviewApi::taskView).toList());
    out.put("grades", task.grades());
  }

  // --- cases ------------------------------------------------------------------------------------------------------

  private void worklist(Context ctx) {
    String gradeParam = ctx.queryParam("grade");
    String from = ctx.queryParam("from");
    String to = ctx.queryParam("to");
    GradingTask task = requestedTask(ctx.queryParam("task"));
    WorklistFilter filter = new WorklistFilter(blankToNull(ctx.queryParam("status")),
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
    List<UploadedFile> files = ctx.uploadedFiles("files");
    if (files.isEmpty()) {
      throw ApiError.badRequest("no files: send multipart/form-data with one or more 'files' parts");
    }
    String patient = ctx.formParam("patient");
    GradingTask task = requestedTask(ctx.formParam("task"));
    List<Map<String, Object>> accepted = new ArrayList<>();
    List<Map<String, Object>> rejected = new ArrayList<>();
    for (UploadedFile file : files) {
      try (InputStream in = file.content()) {
        Importer.Imported imported = importer.importStream(in, file.filename(), patient, task, user(ctx));
        accepted.add(Map.of("file", file.filename(), "imageId", imported.imageId(), "patient", imported.patient(),
            "duplicate", imported.duplicate(), "task", imported.taskId()));
      } catch (ImageReadException e) {
        rejected.add(Map.of("file", file.filename(), "error", e.getMessage()));
      }
    }
    worker.poke();
    ctx.status(accepted.isEmpty() ? 422 : 202).json(Map.of("accepted", accepted, "rejected", rejected));
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
    out.put("result", cases.result(id).orElse(null));
    out.put("phi_warning", cases.phiWarning(id).orElse(null));
    out.put("decisions", cases.decisions(id));
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
    ctx.contentType("image/png").result(DisplayImage.png(archive.load(image), taskOf(image)));
  }

  private void heatmap(Context ctx) throws IOException {
    long id = imageId(ctx);
    String path = cases.result(id).map(AiResult::heatmapPath).orElseThrow(() -> ApiError.notFound("heatmap of image " + id));
    Path file = archive.resolve(path);
    ctx.contentType("image/png").result(Files.readAllBytes(file));
  }

  private void decide(Context ctx) {
    long id = imageId(ctx);
    StoredImage image = cases.image(id).orElseThrow(() -> ApiError.notFound("image " + id));
    GradingTask task = taskOf(image);
    Map<?, ?> body = ctx.bodyAsClass(Map.class);
    String action = String.valueOf(body.get("action"));
    Integer aiGrade = cases.result(id).map(AiResult::grade).orElse(null);
    String reason = body.get("reason") == null ? null : String.valueOf(body.get("reason")).trim();
    int finalGrade;
    if (Decision.ACCEPT.equals(action)) {
      if (aiGrade == null) {
        throw ApiError.badRequest("there is no AI grade to accept for image " + id + ": override with a grade and a reason");
      }
      finalGrade = aiGrade;
    } else if (Decision.OVERRIDE.equals(action)) {
      Object grade = body.get("grade");
      if (!(grade instanceof Number n) || n.intValue() < 0 || n.intValue() >= task.classes()) {
        throw ApiError.badRequest("override needs a grade 0.." + (task.classes() - 1) + " (" + task.title() + ": "
            + String.join(", ", task.grades()) + ")");
      }
      if (reason == null || reason.isEmpty()) {
        throw ApiError.badRequest("override needs a reason");
      }
      finalGrade = n.intValue();
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

  private CaseReport report(Context ctx, String format) throws IOException {
    long id = imageId(ctx);
    StoredImage image = cases.image(id).orElseThrow(() -> ApiError.notFound("image " + id));
    AiResult result = cases.result(id).orElse(null);
    List<Decision> decisions = cases.decisions(id);
    java.awt.image.BufferedImage heatmap = result == null || result.heatmapPath() == null ? null
        : javax.imageio.ImageIO.read(archive.resolve(result.heatmapPath()).toFile());
    GradingTask task = taskOf(image);
    audit.record(user(ctx), "report_" + format, "image", id, null);
    return new CaseReport(task.id(), task.title(), image, task.grades(), result, decisions.isEmpty() ? null : decisions.get(decisions.size() - 1),
        DisplayImage.withHeatmap(archive.load(image), task, heatmap, 0.45f), java.time.OffsetDateTime.now());
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
    Map<?, ?> body = ctx.bodyAsClass(Map.class);
    String username = String.valueOf(body.get("username")).trim();
    if (!username.matches("[a-z0-9._-]{2,64}")) {
      throw ApiError.badRequest("user name: 2-64 of a-z 0-9 . _ -");
    }
    if (users.byUsername(username).isPresent()) {
      throw new ApiError(409, "user " + username + " exists");
    }
    Role role;
    try {
      role = Role.fromDb(String.valueOf(body.get("role")));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("role must be reader or admin");
    }
    String hash;
    try {
      hash = hasher.hash(String.valueOf(body.get("password")).toCharArray());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    String displayName = body.get("displayName") == null ? username : String.valueOf(body.get("displayName"));
    User created = users.create(username, displayName, role, hash);
    audit.record(user(ctx), "user_created", "user", created.id(), username + " (" + role.dbValue() + ")");
    ctx.status(201).json(created);
  }

  private void agreement(Context ctx) {
    GradingTask task = requestedTask(ctx.queryParam("task"));
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
    String limit = ctx.queryParam("limit");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("chain_broken_at", audit.verify());
    out.put("events", audit.latest(limit == null ? 200 : Math.min(5000, Integer.parseInt(limit))));
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
