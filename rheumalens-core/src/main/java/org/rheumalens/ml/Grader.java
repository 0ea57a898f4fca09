package org.rheumalens.ml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.Tasks;

/**
 * Grades image files end to end (read, preprocess as the task declares, predict). Bad inputs never throw: they come
 * back as results carrying the cause, so one corrupt file cannot stop a batch.
 */
public final class Grader implements AutoCloseable {

  private final GradingModel model;
  private final GradingTask task;
  private final RadiographReader reader;

  private Grader(GradingModel model, GradingTask task, RadiographReader reader) {
    this.model = model;
    this.task = task;
    this.reader = reader;
  }

  /** Opens the model in {@code modelDir}; its card names the task and so the preprocessing. */
  public static Grader open(Path modelDir) throws IOException {
    GradingModel model = GradingModel.load(modelDir);
    try {
      return new Grader(model, Tasks.byId(model.card().taskId()), RadiographReader.standard());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public GradingModel model() {
    return model;
  }

  public GradingTask task() {
    return task;
  }

  /** Grades one file. */
  public GradeResult grade(Path file) {
    long start = System.nanoTime();
    try {
      Plane input = task.prepare(reader.read(file));
      return graded(file, model.predict(List.of(input))[0], elapsedMs(start));
    } catch (ImageReadException e) {
      return GradeResult.failed(file.toString(), e.getMessage(), elapsedMs(start));
    } catch (RuntimeException e) {
      return GradeResult.failed(file.toString(), file + ": grading failed: " + e, elapsedMs(start));
    }
  }

  /**
   * Grades files in batches of {@code batchSize} through one forward pass each (higher throughput); each result's
   * time is its share of its batch.
   */
  public List<GradeResult> gradeBatched(List<Path> files, int batchSize) {
    List<GradeResult> results = new ArrayList<>(files.size());
    for (int start = 0; start < files.size(); start += batchSize) {
      long began = System.nanoTime();
      List<Path> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
      List<Plane> inputs = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      GradeResult[] chunkResults = new GradeResult[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        try {
          inputs.add(task.prepare(reader.read(chunk.get(i))));
          slots.add(i);
        } catch (ImageReadException e) {
          chunkResults[i] = GradeResult.failed(chunk.get(i).toString(), e.getMessage(), 0);
        }
      }
      float[][] probabilities = inputs.isEmpty() ? new float[0][] : model.predict(inputs);
      double share = elapsedMs(began) / chunk.size();
      for (int j = 0; j < slots.size(); j++) {
        int i = slots.get(j);
        chunkResults[i] = graded(chunk.get(i), probabilities[j], share);
      }
      results.addAll(List.of(chunkResults));
    }
    return results;
  }

  private GradeResult graded(Path file, float[] probabilities, double ms) {
    int grade = model.decide(probabilities);
    return new GradeResult(file.toString(), grade, probabilities, probabilities[grade], ms, null);
  }

  private static double elapsedMs(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() {
    model.close();
  }
}
