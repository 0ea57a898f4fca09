package org.rheumalens.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** Patients, studies, images, AI results and decisions; the images table doubles as the AI work queue. */
public final class CaseStore {

  private static final String IMAGE_COLUMNS = "i.*, s.patient_id, s.study_date, p.pseudonym";
  private static final String IMAGE_FROM = " FROM images i JOIN studies s ON s.id = i.study_id JOIN patients p ON p.id = s.patient_id";

  private static final RowMapper<StoredImage> IMAGE = (rs, ctx) -> new StoredImage(rs.getLong("id"), rs.getLong("study_id"),
      rs.getLong("patient_id"), rs.getString("pseudonym"), rs.getObject("study_date", LocalDate.class), rs.getString("sha256"),
      rs.getString("stored_path"), rs.getString("display_name"), rs.getString("format"), rs.getInt("width"),
      rs.getInt("height"), nullableDouble(rs, "pixel_spacing_mm"), rs.getString("laterality"), rs.getString("modality"),
      rs.getDouble("value_scale"), rs.getDouble("value_offset"), rs.getInt("bits_stored"), rs.getBoolean("invert"),
      nullableDouble(rs, "window_center"), nullableDouble(rs, "window_width"), rs.getString("status"),
      rs.getString("error"), rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class), rs.getString("task_id"));

  private static final RowMapper<AiResult> RESULT = (rs, ctx) -> new AiResult(rs.getLong("image_id"), rs.getString("task_id"),
      rs.getString("model_name"), rs.getString("model_version"), (Integer) rs.getObject("grade", Integer.class),
      parseDoubles(rs.getString("probabilities")), nullableDouble(rs, "confidence"), rs.getBoolean("ood_flagged"),
      nullableDouble(rs, "ood_score"), rs.getBoolean("needs_review"), splitReasons(rs.getString("review_reasons")),
      nullableDouble(rs, "uncertainty"), rs.getString("heatmap_path"), rs.getString("measurements"),
      rs.getString("message"), rs.getDouble("ms"), rs.getObject("created_at", OffsetDateTime.class),
      outline(rs.getString("overlay_path"), rs.getString("structures")));

  private static final RowMapper<OutlineDecision> OUTLINE_DECISION = (rs, ctx) -> new OutlineDecision(rs.getLong("id"),
      rs.getLong("image_id"), rs.getLong("reader_id"), rs.getString("display_name"), rs.getString("structure"),
      rs.getString("action"), rs.getString("reason"), rs.getObject("decided_at", OffsetDateTime.class));

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final com.fasterxml.jackson.core.type.TypeReference<List<Outline.Structure>> STRUCTURES =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static final RowMapper<Decision> DECISION = (rs, ctx) -> new Decision(rs.getLong("id"), rs.getLong("image_id"),
      rs.getLong("reader_id"), rs.getString("display_name"), rs.getString("action"), (Integer) rs.getObject("ai_grade", Integer.class),
      rs.getInt("final_grade"), rs.getString("reason"), rs.getObject("decided_at", OffsetDateTime.class));

  /** No reader has decided the case yet: neither a grade nor an outline (in a worklist query's joins). */
  private static final String UNDECIDED = "(d.id IS NULL AND od.id IS NULL)";

  private final Jdbi jdbi;

  public CaseStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The patient with this pseudonym, created on first sight. */
  public long patient(Handle h, String pseudonym, Integer birthYear, String sex) {
    Optional<Long> id = h.createQuery("SELECT id FROM patients WHERE pseudonym = ?").bind(0, pseudonym).mapTo(Long.class).findOne();
    return id.orElseGet(() -> h.createUpdate("INSERT INTO patients (pseudonym, birth_year, sex, created_at) VALUES (?, ?, ?, ?)")
        .bind(0, pseudonym).bind(1, birthYear).bind(2, sex).bind(3, OffsetDateTime.now())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  /** The study with this key (a hash of the source's study identity), created on first sight. */
  public long study(Handle h, long patientId, String studyKey, LocalDate date, String modality, String bodyPart, String description) {
    Optional<Long> id = h.createQuery("SELECT id FROM studies WHERE study_key = ?").bind(0, studyKey).mapTo(Long.class).findOne();
    return id.orElseGet(() -> h.createUpdate("INSERT INTO studies (patient_id, study_key, study_date, modality, body_part, "
            + "description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, patientId).bind(1, studyKey).bind(2, date).bind(3, modality).bind(4, bodyPart).bind(5, description)
        .bind(6, OffsetDateTime.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  /** An image already stored in this study with the same pixels, if any (re-uploads do not duplicate). */
  public Optional<Long> imageBySha(Handle h, long studyId, String sha256) {
    return h.createQuery("SELECT id FROM images WHERE study_id = ? AND sha256 = ?").bind(0, studyId).bind(1, sha256)
        .mapTo(Long.class).findOne();
  }

  public String taskOfImage(Handle h, long imageId) {
    return h.createQuery("SELECT task_id FROM images WHERE id = ?").bind(0, imageId).mapTo(String.class).one();
  }

  /** An image of {@code taskId}, queued for that task's model. */
  public long insertImage(Handle h, String taskId, long studyId, String sha256, String storedPath, String displayName, String format,
      int width, int height, Double spacingMm, String laterality, String modality, double valueScale, double valueOffset,
      int bitsStored, boolean invert, Double windowCenter, Double windowWidth) {
    return h.createUpdate("INSERT INTO images (study_id, sha256, stored_path, display_name, format, width, height, "
            + "pixel_spacing_mm, laterality, modality, value_scale, value_offset, bits_stored, invert, window_center, "
            + "window_width, status, created_at, task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, studyId).bind(1, sha256).bind(2, storedPath).bind(3, displayName).bind(4, format).bind(5, width)
        .bind(6, height).bind(7, spacingMm).bind(8, laterality).bind(9, modality).bind(10, valueScale).bind(11, valueOffset)
        .bind(12, bitsStored).bind(13, invert).bind(14, windowCenter).bind(15, windowWidth).bind(16, StoredImage.QUEUED)
        .bind(17, OffsetDateTime.now()).bind(18, taskId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** Images stored before images had a task (schema V1) get {@code taskId}; returns how many. */
  public int assignTaskToImagesWithout(String taskId) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE images SET task_id = ? WHERE task_id IS NULL").bind(0, taskId).execute());
  }

  public Optional<StoredImage> image(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + IMAGE_COLUMNS + IMAGE_FROM + " WHERE i.id = ?").bind(0, id).map(IMAGE).findOne());
  }

  /** Every image of a patient, oldest study first: the progression view. */
  public List<StoredImage> imagesOfPatient(long patientId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + IMAGE_COLUMNS + IMAGE_FROM
        + " WHERE s.patient_id = ? ORDER BY s.study_date, i.id").bind(0, patientId).map(IMAGE).list());
  }

  /** Claims the oldest queued image for processing; empty when the queue is empty. */
  public Optional<StoredImage> claimNext() {
    return jdbi.inTransaction(h -> {
      Optional<Long> next = h.createQuery("SELECT id FROM images WHERE status = ? ORDER BY id LIMIT 1")
          .bind(0, StoredImage.QUEUED).mapTo(Long.class).findOne();
      if (next.isEmpty()) {
        return Optional.empty();
      }
      int claimed = h.createUpdate("UPDATE images SET status = ?, attempts = attempts + 1 WHERE id = ? AND status = ?")
          .bind(0, StoredImage.PROCESSING).bind(1, next.get()).bind(2, StoredImage.QUEUED).execute();
      return claimed == 1 ? h.createQuery("SELECT " + IMAGE_COLUMNS + IMAGE_FROM + " WHERE i.id = ?").bind(0, next.get())
          .map(IMAGE).findOne() : Optional.empty();
    });
  }

  /** How many images wait for the AI (the intake's back-pressure reads it on every upload; images_status indexes it). */
  public long queuedCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM images WHERE status = ?").bind(0, StoredImage.QUEUED)
        .mapTo(Long.class).one());
  }

  /**
   * Puts an image the AI could not finish through no fault of its own (disk full, database gone) back in the queue,
   * without counting the attempt against it.
   */
  public void requeueUncounted(long imageId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE images SET status = ?, attempts = GREATEST(attempts - 1, 0) WHERE id = ?")
        .bind(0, StoredImage.QUEUED).bind(1, imageId).execute());
  }

  /** After a crash: images left mid-processing go back to the queue. Returns how many. */
  public int requeueInterrupted() {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE images SET status = ? WHERE status = ?")
        .bind(0, StoredImage.QUEUED).bind(1, StoredImage.PROCESSING).execute());
  }

  public void saveResult(Handle h, AiResult r) {
    h.createUpdate("INSERT INTO ai_results (image_id, task_id, model_name, model_version, grade, probabilities, confidence, "
            + "ood_flagged, ood_score, needs_review, review_reasons, uncertainty, heatmap_path, measurements, message, ms, "
            + "created_at, overlay_path, structures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, r.imageId()).bind(1, r.taskId()).bind(2, r.modelName()).bind(3, r.modelVersion()).bind(4, r.grade())
        .bind(5, r.probabilities() == null ? null : joinDoubles(r.probabilities())).bind(6, r.confidence())
        .bind(7, r.oodFlagged()).bind(8, r.oodScore()).bind(9, r.needsReview()).bind(10, String.join(",", r.reviewReasons()))
        .bind(11, r.uncertainty()).bind(12, r.heatmapPath()).bind(13, r.measurements()).bind(14, r.message())
        .bind(15, r.ms()).bind(16, r.createdAt()).bind(17, r.outline() == null ? null : r.outline().overlayPath())
        .bind(18, r.outline() == null ? null : structuresJson(r.outline())).execute();
    setStatus(h, r.imageId(), StoredImage.DONE, null);
  }

  public void setStatus(Handle h, long imageId, String status, String error) {
    h.createUpdate("UPDATE images SET status = ?, error = ? WHERE id = ?").bind(0, status).bind(1, error).bind(2, imageId).execute();
  }

  /** Flags an image whose pixels may carry identifying text (shown on its case until someone has checked). */
  public void setPhiWarning(Handle h, long imageId, String warning) {
    h.createUpdate("UPDATE images SET phi_warning = ? WHERE id = ?").bind(0, warning).bind(1, imageId).execute();
  }

  public Optional<String> phiWarning(long imageId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT phi_warning FROM images WHERE id = ?").bind(0, imageId)
        .mapTo(String.class).findOne());
  }

  public Optional<AiResult> result(long imageId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ai_results WHERE image_id = ?").bind(0, imageId).map(RESULT).findOne());
  }

  public long insertDecision(Handle h, long imageId, long readerId, String action, Integer aiGrade, int finalGrade, String reason) {
    return h.createUpdate("INSERT INTO decisions (image_id, reader_id, action, ai_grade, final_grade, reason, decided_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, imageId).bind(1, readerId).bind(2, action).bind(3, aiGrade).bind(4, finalGrade).bind(5, reason)
        .bind(6, OffsetDateTime.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** Every decision on an image, oldest first; the last one stands. */
  public List<Decision> decisions(long imageId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT d.*, u.display_name FROM decisions d JOIN users u ON u.id = d.reader_id "
        + "WHERE d.image_id = ? ORDER BY d.id").bind(0, imageId).map(DECISION).list());
  }

  public long insertOutlineDecision(Handle h, long imageId, long readerId, String structure, String action, String reason) {
    return h.createUpdate("INSERT INTO outline_decisions (image_id, reader_id, structure, action, reason, decided_at) "
            + "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, imageId).bind(1, readerId).bind(2, structure).bind(3, action).bind(4, reason)
        .bind(5, OffsetDateTime.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** Every outline decision on an image, oldest first; per structure, the last one stands. */
  public List<OutlineDecision> outlineDecisions(long imageId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT d.*, u.display_name FROM outline_decisions d "
        + "JOIN users u ON u.id = d.reader_id WHERE d.image_id = ? ORDER BY d.id").bind(0, imageId).map(OUTLINE_DECISION).list());
  }

  /**
   * How readers judged the outlines of {@code taskId}: per structure, how many standing decisions accept and reject it
   * (structure -> action -> count).
   */
  public java.util.Map<String, java.util.Map<String, Integer>> outlineVerdicts(String taskId) {
    return jdbi.withHandle(h -> {
      java.util.Map<String, java.util.Map<String, Integer>> out = new java.util.LinkedHashMap<>();
      h.createQuery("SELECT od.structure, od.action, COUNT(*) AS n FROM outline_decisions od JOIN images i ON i.id = od.image_id "
              + "WHERE i.task_id = ? AND od.id = (SELECT MAX(o2.id) FROM outline_decisions o2 "
              + "WHERE o2.image_id = od.image_id AND o2.structure = od.structure) GROUP BY od.structure, od.action "
              + "ORDER BY od.structure, od.action")
          .bind(0, taskId).map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)})
          .forEach(r -> out.computeIfAbsent((String) r[0], k -> new java.util.LinkedHashMap<>()).put((String) r[1], (Integer) r[2]));
      return out;
    });
  }

  /** How many images of {@code taskId} have an outline decision. */
  public int imagesWithOutlineDecisions(String taskId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(DISTINCT od.image_id) FROM outline_decisions od "
        + "JOIN images i ON i.id = od.image_id WHERE i.task_id = ?").bind(0, taskId).mapTo(Integer.class).one());
  }

  /**
   * The standing (latest) decision on the image whose file had SHA-256 {@code sha256}, as the importer hashed it;
   * empty while no reader has signed it. The same file in two studies is one case to a reader: the latest decides.
   */
  public Optional<SignedDecision> standingDecision(String sha256) {
    return jdbi.withHandle(h -> h.createQuery("SELECT d.*, u.display_name, u.username, i.task_id FROM decisions d "
            + "JOIN images i ON i.id = d.image_id JOIN users u ON u.id = d.reader_id WHERE i.sha256 = ? "
            + "ORDER BY d.id DESC LIMIT 1").bind(0, sha256)
        .map((rs, ctx) -> new SignedDecision(DECISION.map(rs, ctx), rs.getString("username"), rs.getString("task_id")))
        .findOne());
  }

  /** (AI grade, reader's final grade) of the standing decision of every image of {@code taskId} that has both. */
  public List<int[]> agreementPairs(String taskId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT d.ai_grade, d.final_grade FROM decisions d JOIN images i ON i.id = d.image_id "
            + "WHERE i.task_id = ? AND d.ai_grade IS NOT NULL "
            + "AND d.id = (SELECT MAX(d2.id) FROM decisions d2 WHERE d2.image_id = d.image_id)")
        .bind(0, taskId).map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2)}).list());
  }

  /** Worklist rows: cases needing review first, then undecided, then decided; newest first within each. */
  public List<WorklistItem> worklist(WorklistFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT i.id, p.pseudonym, s.study_date, i.laterality, i.status, i.display_name, "
        + "i.created_at, r.grade, r.confidence, r.needs_review, r.review_reasons, r.ood_flagged, r.overlay_path, "
        + "r.structures, d.final_grade, COALESCE(d.action, od.action) AS decision, "
        + "COALESCE(u.display_name, ou.display_name) AS decided_by"
        + IMAGE_FROM + " LEFT JOIN ai_results r ON r.image_id = i.id"
        + " LEFT JOIN decisions d ON d.id = (SELECT MAX(d2.id) FROM decisions d2 WHERE d2.image_id = i.id)"
        + " LEFT JOIN users u ON u.id = d.reader_id"
        // A segmentation case is decided once a reader has judged an outline of it.
        + " LEFT JOIN outline_decisions od ON od.id = (SELECT MAX(o2.id) FROM outline_decisions o2 WHERE o2.image_id = i.id)"
        + " LEFT JOIN users ou ON ou.id = od.reader_id WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (filter.status() != null) {
      switch (filter.status()) {
        case "needs_review" -> sql.append(" AND " + UNDECIDED + " AND r.needs_review");
        case "undecided" -> sql.append(" AND " + UNDECIDED);
        case "decided" -> sql.append(" AND NOT " + UNDECIDED);
        default -> {
          sql.append(" AND i.status = ?");
          args.add(filter.status());
        }
      }
    }
    if (filter.taskId() != null) {
      sql.append(" AND i.task_id = ?");
      args.add(filter.taskId());
    }
    if (filter.grade() != null) {
      sql.append(" AND COALESCE(d.final_grade, r.grade) = ?");
      args.add(filter.grade());
    }
    if (filter.from() != null) {
      sql.append(" AND s.study_date >= ?");
      args.add(filter.from());
    }
    if (filter.to() != null) {
      sql.append(" AND s.study_date <= ?");
      args.add(filter.to());
    }
    sql.append(" ORDER BY CASE WHEN " + UNDECIDED + " AND r.needs_review THEN 0 WHEN " + UNDECIDED
        + " THEN 1 ELSE 2 END, i.id DESC LIMIT ?");
    args.add(filter.limit());
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      for (int k = 0; k < args.size(); k++) {
        q.bind(k, args.get(k));
      }
      return q.map((rs, ctx) -> new WorklistItem(rs.getLong("id"), rs.getString("pseudonym"),
          rs.getObject("study_date", LocalDate.class), rs.getString("laterality"), rs.getString("status"),
          rs.getString("display_name"), (Integer) rs.getObject("grade", Integer.class), nullableDouble(rs, "confidence"),
          (Boolean) rs.getObject("needs_review", Boolean.class), splitReasons(rs.getString("review_reasons")),
          (Boolean) rs.getObject("ood_flagged", Boolean.class), (Integer) rs.getObject("final_grade", Integer.class),
          rs.getString("decision"), rs.getString("decided_by"),
          Optional.ofNullable(outline(rs.getString("overlay_path"), rs.getString("structures"))).map(Outline::summary)
              .orElse(null))).list();
    });
  }

  /** How many images are in each queue state. */
  public java.util.Map<String, Long> queueCounts() {
    return jdbi.withHandle(h -> {
      java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
      for (String s : List.of(StoredImage.QUEUED, StoredImage.PROCESSING, StoredImage.DONE, StoredImage.FAILED)) {
        counts.put(s, 0L);
      }
      h.createQuery("SELECT status, COUNT(*) AS n FROM images GROUP BY status")
          .map((rs, ctx) -> java.util.Map.entry(rs.getString("status"), rs.getLong("n"))).forEach(e -> counts.put(e.getKey(), e.getValue()));
      return counts;
    });
  }

  private static Outline outline(String overlayPath, String structures) {
    if (overlayPath == null) {
      return null;
    }
    try {
      return new Outline(overlayPath, JSON.readValue(structures, STRUCTURES));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored structures are not readable JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String structuresJson(Outline outline) {
    try {
      return JSON.writeValueAsString(outline.structures());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static List<String> splitReasons(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  private static String joinDoubles(List<Double> values) {
    return String.join(",", values.stream().map(v -> String.format(java.util.Locale.ROOT, "%.6f", v)).toList());
  }

  private static List<Double> parseDoubles(String joined) {
    return joined == null ? null : Arrays.stream(joined.split(",")).map(Double::valueOf).toList();
  }
}
