package org.rheumalens.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.rheumalens.ml.Grader;

/**
 * Scores one partition of image paths with one grader from its executor's cache, through the same call as
 * {@code grade}: a file that cannot be read or graded becomes a row with an error, so one bad file never fails a job.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<String>, Row> {

  private static final long serialVersionUID = 1L;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String modelDir;
  /** CPU time the scoring threads spent, summed over executors: how many cores a run really got on a busy machine. */
  private final LongAccumulator cpuNanos;

  PartitionScorer(String modelDir, LongAccumulator cpuNanos) {
    this.modelDir = modelDir;
    this.cpuNanos = cpuNanos;
  }

  @Override
  public Iterator<Row> call(Iterator<String> images) throws IOException {
    Grader grader = GraderCache.borrow(modelDir);
    TaskContext task = TaskContext.get();
    // Rows are produced as Spark pulls them; the grader goes back when the task is done, whether it ended well or not.
    task.addTaskCompletionListener((TaskCompletionListener) done -> GraderCache.giveBack(modelDir, grader));
    String taskId = grader.task().id();
    List<String> grades = grader.task().grades();
    String executor = SparkEnv.get().executorId() + "@" + ManagementFactory.getRuntimeMXBean().getName();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return images.hasNext();
      }

      @Override
      public Row next() {
        String image = images.next();
        long cpu = THREADS.getCurrentThreadCpuTime();
        try {
          return ResultRows.of(image, grader.grade(Path.of(image)), taskId, grades, executor);
        } catch (RuntimeException e) {
          return ResultRows.failed(image, image + ": " + e.getMessage(), executor);
        } finally {
          cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
        }
      }
    };
  }
}
