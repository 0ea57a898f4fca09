package org.rheumalens.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rheumalens.server.Outage;
import org.rheumalens.server.ServerConfig;
import org.rheumalens.server.http.ApiError;
import org.rheumalens.server.store.CaseStore;

/**
 * Whether an upload may come in now, decided before a byte of it is read: 429 with Retry-After while the AI queue is
 * full (back-pressure instead of an ever longer queue), 507 while the data folder's disk is nearly full (a clear
 * refusal instead of half-written files and a database that cannot write).
 */
public final class Intake {

  /** A rough AI pace (the knee model grades about 20 images a second here) to tell a client when to come back. */
  private static final double IMAGES_PER_SECOND = 20;

  private final CaseStore cases;
  private final Path dataDir;
  private final ServerConfig.Intake limits;

  public Intake(CaseStore cases, Path dataDir, ServerConfig.Intake limits) {
    this.cases = cases;
    this.dataDir = dataDir;
    this.limits = limits;
  }

  /**
   * Refuses the upload (an {@link ApiError} carrying its Retry-After) when the queue or the disk cannot take it.
   *
   * @param declaredBytes the request's declared length, or -1 when it is chunked
   */
  public void admit(long declaredBytes) throws IOException {
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
