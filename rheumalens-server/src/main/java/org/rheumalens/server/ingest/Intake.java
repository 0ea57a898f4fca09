package org.rheumalens.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.rheumalens.server.Outage;
import org.rheumalens.server.ServerConfig;
import org.rheumalens.server.http.ApiError;
import org.rheumalens.server.store.CaseStore;

/**
 * Whether an upload may come in now, decided before a byte of it is read: 429 with Retry-After while the account has
 * used its decoding allowance ({@link UploadAllowance}) or the AI queue is full (back-pressure instead of an ever longer
 * queue), 507 while the data folder's disk is nearly full (a clear
 * refusal instead of half-written files and a database that cannot write).
 */
public final class Intake {

  /** A rough AI pace (the knee model grades about 20 images a second here) to tell a client when to come back. */
  private static final double IMAGES_PER_SECOND = 20;

  private final CaseStore cases;
  private final Path dataDir;
  private final ServerConfig.Intake limits;
  private final UploadAllowance allowance;

  public Intake(CaseStore cases, Path dataDir, ServerConfig.Intake limits, Clock clock) {
    this.cases = cases;
    this.dataDir = dataDir;
    this.limits = limits;
    this.allowance = new UploadAllowance(limits.uploadMegapixelsPerMinute(), clock);
  }

  /** Counts one file of {@code account}'s upload against its allowance ({@code pixels} decoded; 0 if unreadable). */
  public void charge(String account, long pixels) {
    allowance.charge(account, pixels);
  }

  /**
   * Refuses the upload (an {@link ApiError} carrying its Retry-After) when the queue or the disk cannot take it.
   *
   * @param account the user uploading
   * @param declaredBytes the request's declared length, or -1 when it is chunked
   */
  public void admit(String account, long declaredBytes) throws IOException {
    Optional<Duration> wait = allowance.wait(account);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      throw new ApiError(429, "this account has used its upload allowance (" + limits.uploadMegapixelsPerMinute()
          + " megapixels of images a minute, serve --upload-megapixels-per-minute); try again in " + seconds + " s")
          .retryAfter(seconds);
    }
    long queued = cases.queuedCount();
    if (queued >= limits.aiQueueMax()) {
      long seconds = Math.max(1, Math.round((queued - limits.aiQueueMax() + 1) / IMAGES_PER_SECOND));
      throw new ApiError(429, queued + " images are waiting for the AI (at most " + limits.aiQueueMax()
          + ", serve --ai-queue-max); try again in " + seconds + " s").retryAfter(seconds);
    }
    long free = Files.getFileStore(dataDir).getUsableSpace();
    long needed = limits.minFreeBytes() + 2 * Math.max(0, declaredBytes);
    if (free < needed) {
      throw new ApiError(Outage.DISK_FULL, "the data folder's disk is full (" + free / (1024 * 1024) + " MB free, "
          + needed / (1024 * 1024) + " MB needed with the reserve of serve --min-free-mb): free space there and try again")
          .retryAfter(60);
    }
  }
}
