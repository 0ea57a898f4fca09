package org.rheumalens.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.spark.SparkFiles;
import org.rheumalens.ml.Grader;

/**
 * The graders of one executor JVM, by model folder: a model is loaded the first time a partition asks for it and then
 * serves every later partition, so an archive of a million images loads it once per task slot, not once per
 * partition. A partition borrows a grader for its whole run; a grader takes its forward passes in turn, so an executor
 * with several cores loads one grader per core that runs at the same time, never more.
 */
final class GraderCache {

  private static final Map<String, Deque<Grader>> IDLE = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    // Plugins shipped with the job (TwelveMonkeys JPEG, JPEG 2000) sit on the task's class loader, which ImageIO did
    // not scan when it started.
    ImageIO.scanForPlugins();
    Runtime.getRuntime().addShutdownHook(new Thread(GraderCache::closeAll, "rheumalens-grader-cache"));
  }

  private GraderCache() {}

  static Grader borrow(String modelDir) throws IOException {
    Grader idle = IDLE.computeIfAbsent(modelDir, d -> new ConcurrentLinkedDeque<>()).poll();
    if (idle != null) {
      return idle;
    }
    LOADS.incrementAndGet();
    return Grader.open(locate(modelDir));
  }

  static void giveBack(String modelDir, Grader grader) {
    IDLE.get(modelDir).push(grader);
  }

  /** How many graders this JVM has loaded (tests check that partitions reuse them). */
  static int loads() {
    return LOADS.get();
  }

  /**
   * The model folder as the driver named it where the executor sees the same file system; else the folder of that
   * name among the job's files (spark-submit --archives unpacks into the executor's working directory).
   */
  static Path locate(String modelDir) throws IOException {
    Path named = Path.of(modelDir);
    if (Files.isDirectory(named)) {
      return named;
    }
    String name = named.getFileName().toString();
    for (Path candidate : new Path[] {Path.of(name), Path.of(SparkFiles.getRootDirectory(), name)}) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IOException("model folder " + modelDir + " not found on this executor: put it on a file system every "
        + "executor sees, or send it with spark-submit --archives model.zip#" + name);
  }

  private static void closeAll() {
    IDLE.values().forEach(graders -> graders.forEach(Grader::close));
  }
}
