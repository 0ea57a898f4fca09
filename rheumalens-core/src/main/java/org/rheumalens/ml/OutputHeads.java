package org.rheumalens.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;
import org.rheumalens.tasks.TaskDefinition.Output;

/**
 * Where each output of a task sits in the network's last layer: the primary output's logits first (what the grader,
 * oversight and review follow), then one slice per secondary output (its classes' logits, or one unit for a
 * regression value scaled to its range). Several outputs thus share one backbone.
 */
public final class OutputHeads {

  /** One secondary output's slice of the last layer. */
  public record Head(Output output, int offset, int units) {

    /** The value a regression head's unit stands for (the unit is trained on the value scaled to [0, 1]). */
    public double value(float unit) {
      List<Double> range = output.range();
      return range.get(0) + unit * (range.get(1) - range.get(0));
    }

    /** A regression label scaled to the unit's [0, 1]. */
    public float scaled(double value) {
      List<Double> range = output.range();
      return (float) ((value - range.get(0)) / (range.get(1) - range.get(0)));
    }
  }

  private final int primaryUnits;
  private final List<Head> secondary;

  private OutputHeads(int primaryUnits, List<Head> secondary) {
    this.primaryUnits = primaryUnits;
    this.secondary = List.copyOf(secondary);
  }

  public static OutputHeads of(TaskDefinition task) {
    int offset = TaskDefinition.units(task.primary());
    List<Head> heads = new ArrayList<>();
    for (Output output : task.outputs().subList(1, task.outputs().size())) {
      int units = TaskDefinition.units(output);
      heads.add(new Head(output, offset, units));
      offset += units;
    }
    return new OutputHeads(TaskDefinition.units(task.primary()), heads);
  }

  public int primaryUnits() {
    return primaryUnits;
  }

  public List<Head> secondary() {
    return secondary;
  }

  public boolean hasSecondary() {
    return !secondary.isEmpty();
  }

  public int totalUnits() {
    return secondary.isEmpty() ? primaryUnits : secondary.get(secondary.size() - 1).offset()
        + secondary.get(secondary.size() - 1).units();
  }

  /** The standard deviation of a regression head's value over MC-dropout samples of full rows. */
  static double spread(Head head, float[][] samples) {
    double sum = 0;
    double squares = 0;
    for (float[] row : samples) {
      double v = head.value(row[head.offset()]);
      sum += v;
      squares += v * v;
    }
    double mean = sum / samples.length;
    return Math.sqrt(Math.max(0, squares / samples.length - mean * mean));
  }

  /** The primary output's logits of a full row. */
  public float[] primary(float[] row) {
    return row.length == primaryUnits ? row : Arrays.copyOf(row, primaryUnits);
  }

  /** The secondary units of a full row (null when the task has none). */
  public float[] rest(float[] row) {
    return secondary.isEmpty() ? null : Arrays.copyOfRange(row, primaryUnits, row.length);
  }

  /**
   * The secondary outputs read off their units ({@link #rest}): by output name, a class output's {@code label},
   * {@code class} index and {@code probabilities}, or a regression output's {@code value}.
   */
  public Map<String, Object> read(float[] rest) {
    return read(rest, null);
  }

  /**
   * As {@link #read(float[])} with the oversight fitted on val: class outputs' probabilities at their temperature,
   * with {@code confidence}, and {@code review_reasons} where their triage limits send the answer to a reader.
   */
  public Map<String, Object> read(float[] rest, Map<String, OversightSettings.OutputOversight> oversight) {
    return read(rest, oversight, null);
  }

  /**
   * As {@link #read(float[], Map)}, with the MC-dropout samples of the last layer's full rows ({@code samples}, may be
   * null) for regression outputs: their {@code interval}, {@code spread} and {@code review_reasons}.
   */
  public Map<String, Object> read(float[] rest, Map<String, OversightSettings.OutputOversight> oversight,
      float[][] samples) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (rest == null) {
      return out;
    }
    for (Head head : secondary) {
      int from = head.offset() - primaryUnits;
      Map<String, Object> reading = new LinkedHashMap<>();
      OversightSettings.OutputOversight fitted = oversight == null ? null : oversight.get(head.output().name());
      if (head.output().kind() == Kind.REGRESSION) {
        double value = head.value(rest[from]);
        reading.put("value", value);
        if (fitted != null && fitted.regression() != null && samples != null) {
          double spread = spread(head, samples);
          reading.put("interval", fitted.regression().interval(value));
          reading.put("interval_coverage", fitted.regression().coverage());
          reading.put("spread", spread);
          List<String> reasons = fitted.regression().reasons(value, spread);
          if (!reasons.isEmpty()) {
            reading.put("review_reasons", reasons);
          }
        }
      } else {
        float[] p = Softmax.of(Arrays.copyOfRange(rest, from, from + head.units()), fitted == null ? 1 : fitted.temperature());
        int best = GradeDecision.argMax(p);
        reading.put("label", head.output().classes().get(best));
        reading.put("class", best);
        reading.put("probabilities", p);
        reading.put("confidence", p[best]);
        if (fitted != null) {
          List<String> reasons = fitted.triage().reasons(p, best);
          if (!reasons.isEmpty()) {
            reading.put("review_reasons", reasons);
          }
        }
      }
      out.put(head.output().name(), reading);
    }
    return out;
  }
}
