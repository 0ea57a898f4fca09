package org.rheumalens.bench;

/**
 * How much a bench run measures: warm-up and timed iterations per measurement, and the batch sizes.
 *
 * @param latencyWarmup untimed single-image calls before the latency measurements
 * @param latencyRuns timed single-image calls (grading end to end, and the model alone)
 * @param batchFiles files graded in batches for the throughput measurement
 * @param batchSize images per forward pass, in batched grading and in training
 * @param trainWarmup untimed training steps
 * @param trainSteps timed training steps
 */
public record BenchSettings(
    int latencyWarmup, int latencyRuns, int batchFiles, int batchSize, int trainWarmup, int trainSteps) {

  public BenchSettings {
    if (latencyRuns < 1 || batchFiles < 1 || batchSize < 1 || trainSteps < 1) {
      throw new IllegalArgumentException("timed iterations and batch sizes must be positive");
    }
  }

  /** Enough iterations for stable medians on a quiet machine (a few minutes for the bundled model). */
  public static BenchSettings standard() {
    return new BenchSettings(50, 100, 256, 32, 2, 8);
  }

  /** A smoke run: proves every measurement works; its numbers are noisy. */
  public static BenchSettings quick() {
    return new BenchSettings(3, 10, 64, 32, 1, 2);
  }
}
