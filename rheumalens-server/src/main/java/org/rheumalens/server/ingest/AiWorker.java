package org.rheumalens.server.ingest;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.rheumalens.explain.GradCam;
import org.rheumalens.explain.Heatmap;
import org.rheumalens.explain.HeatmapRenderer;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.measure.JointSpaceMeter;
import org.rheumalens.ml.Grader;
import org.rheumalens.segmentation.SegmentationCard;
import org.rheumalens.segmentation.SegmentationOverlay;
import org.rheumalens.segmentation.Segmenter;
import org.rheumalens.server.Outage;
import org.rheumalens.server.store.AiResult;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.Outline;
import org.rheumalens.server.store.StoredImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI's one background worker: takes queued images from the database (the queue survives a crash; images left
 * mid-processing are requeued on start), grades them with Grad-CAM (or, for a segmentation task, outlines them), stores
 * result and heatmap (or mask overlay), and never runs on a request thread. Each image is read by its own task's model. One worker, because a model serves one call at a time
 * anyway.
 */
public final class AiWorker implements AutoCloseable {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static final Logger LOG = LoggerFactory.getLogger(AiWorker.class);
  static final int MAX_ATTEMPTS = 3;
  private static final long OUTAGE_PAUSE_MS = 1000;

  private final CaseStore cases;
  private final AuditLog audit;
  private final ImageArchive archive;
  private final TaskModels models;
  private final BeforeEach beforeEach;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Thread thread;
  private volatile boolean running = true;

  /** What runs before each image is graded: nothing in use; tests pause there or fail there. */
  @FunctionalInterface
  interface BeforeEach {
    void run(StoredImage image) throws InterruptedException;
  }

  /** {@code delayMs}: a pause before each image (0 in use; tests set it to kill the server mid-processing). */
  public AiWorker(CaseStore cases, AuditLog audit, ImageArchive archive, TaskModels models, long delayMs) {
    this(cases, audit, archive, models, image -> {
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
    });
  }

  AiWorker(CaseStore cases, AuditLog audit, ImageArchive archive, TaskModels models, BeforeEach beforeEach) {
    this.cases = cases;
    this.audit = audit;
    this.archive = archive;
    this.models = models;
    this.beforeEach = beforeEach;
    int requeued = cases.requeueInterrupted();
    if (requeued > 0) {
      LOG.info("requeued {} image(s) left mid-processing by the last run", requeued);
    }
    this.thread = new Thread(this::run, "ai-worker");
    thread.setDaemon(true);
    thread.start();
  }

  /** Wakes the worker: new images were queued. */
  public void poke() {
    lock.lock();
    try {
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (running) {
      Optional<StoredImage> next;
      try {
        next = cases.claimNext();
      } catch (RuntimeException e) {
        LOG.warn("AI queue unavailable: {}", e.getMessage());
        next = Optional.empty();
      }
      if (next.isEmpty()) {
        waitForWork();
        continue;
      }
      try {
        process(next.get());
      } catch (RuntimeException | Error e) {
        // Even an Error (out of memory on one huge image, a native failure) must not stop the queue for good: the
        // image is failed or retried (three attempts at most) and the worker goes on.
        LOG.error("AI processing of image {} failed", next.get().id(), e);
        failQuietly(next.get(), e);
      }
    }
  }

  private void failQuietly(StoredImage image, Throwable cause) {
    try {
      fail(image, cause.toString());
    } catch (RuntimeException e) {
      LOG.warn("could not record the failure of image {}: {}", image.id(), e.toString());
    }
  }

  private void process(StoredImage image) {
    try {
      beforeEach.run(image);
      Optional<Segmenter> segmenter = models.segmenter(image.taskId());
      if (segmenter.isPresent()) {
        outline(image, segmenter.get());
        return;
      }
      Grader grader = models.grader(image.taskId());
      Radiograph radiograph = archive.load(image);
      Grader.Analysis analysis = grader.analyse(image.displayName(), radiograph,
          JointSpaceMeter.Side.of(image.laterality()), true, Grader.GRADED);
      GradeResult r = analysis.result();
      if (!r.ok()) {
        fail(image, r.error());
        return;
      }
      String heatmapPath = null;
      if (r.grade() != null && analysis.output().maps() != null) {
        Heatmap cam = GradCam.of(analysis.output().maps(), analysis.input().width(), analysis.input().height());
        heatmapPath = archive.storeHeatmap(image.id(), HeatmapRenderer.transparent(cam));
      }
      AiResult result = new AiResult(image.id(), grader.task().id(), grader.model().card().name(),
          grader.model().card().version(), r.grade(), r.probabilities() == null ? null : toList(r.probabilities()),
          r.confidence() == null ? null : r.confidence().doubleValue(), r.ood() != null && r.ood().flagged(),
          r.ood() == null ? null : r.ood().score(), Boolean.TRUE.equals(r.needsReview()),
          r.reviewReasons() == null ? List.of() : r.reviewReasons(),
          r.uncertainty() == null ? null : r.uncertainty().entropy(), heatmapPath,
          r.measurements() == null ? null : JSON.writeValueAsString(r.measurements()), r.message(), r.ms(),
          OffsetDateTime.now(), null);
      save(result, result.grade() == null ? "refused (" + String.join(",", result.reviewReasons()) + ")"
          : "grade " + result.grade());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } catch (IOException | RuntimeException e) {
      Optional<Outage> outage = Outage.of(e);
      if (outage.isPresent()) {
        requeueDuring(outage.get(), image);
        return;
      }
      LOG.warn("AI processing of image {} failed: {}", image.id(), e.toString());
      fail(image, e.getMessage());
    }
  }

  /** A segmentation task: the outline, its overlay picture and sizes; the mean entropy inside it is the uncertainty. */
  private void outline(StoredImage image, Segmenter segmenter) throws IOException {
    long start = System.nanoTime();
    Segmenter.Segmentation s = segmenter.segment(archive.load(image));
    String overlay = archive.storeOverlay(image.id(), SegmentationOverlay.render(s.plane(), s.result().mask(),
        s.result().classes(), s.sizes(), image.displayName()));
    Outline outline = Outline.of(overlay, s.sizes());
    SegmentationCard card = segmenter.card();
    AiResult result = new AiResult(image.id(), segmenter.task().id(), card.name(), card.version(), null, null, null, false,
        null, s.needsReview(), s.reviewReasons(), s.result().meanStructureEntropy(), null, null, null,
        (System.nanoTime() - start) / 1e6, OffsetDateTime.now(), outline);
    save(result, "outline " + outline.summary());
  }

  private void save(AiResult result, String said) {
    audit.transaction(h -> {
      cases.saveResult(h, result);
      audit.record(h, null, "ai_result", "image", result.imageId(), "model " + result.modelName() + " "
          + result.modelVersion() + ": " + said);
      return null;
    });
  }

  /**
   * The disk is full or the database gone: not the image's fault, so it goes back to the queue without losing an
   * attempt (retried until the database takes the write, else it would sit in "processing" until a restart), and the
   * worker pauses instead of spinning through the queue.
   */
  private void requeueDuring(Outage outage, StoredImage image) {
    LOG.warn("AI paused on image {}: {}", image.id(), outage.reason());
    while (running) {
      try {
        cases.requeueUncounted(image.id());
        pause();
        return;
      } catch (RuntimeException e) {
        pause();
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(OUTAGE_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void fail(StoredImage image, String cause) {
    String error = cause == null || cause.length() <= 1000 ? cause : cause.substring(0, 1000) + "...";
    String status = image.attempts() >= MAX_ATTEMPTS ? StoredImage.FAILED : StoredImage.QUEUED;
    audit.transaction(h -> {
      cases.setStatus(h, image.id(), status, error);
      audit.record(h, null, "ai_failed", "image", image.id(), error);
      return null;
    });
  }

  private void waitForWork() {
    lock.lock();
    try {
      work.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  private static List<Double> toList(float[] values) {
    Double[] out = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (double) values[i];
    }
    return List.of(out);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    poke();
    thread.join(30_000);
  }
}
