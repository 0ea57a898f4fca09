package org.rheumalens.eval;

import java.util.Arrays;
import java.util.List;

/** Counts of (true grade, predicted grade) pairs; rows are truth, columns prediction. */
public final class ConfusionMatrix {

  private final long[][] counts;

  public ConfusionMatrix(int classes) {
    this.counts = new long[classes][classes];
  }

  public static ConfusionMatrix of(int classes, int[] truth, int[] predicted) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException("truth and prediction differ in length");
    }
    ConfusionMatrix m = new ConfusionMatrix(classes);
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
        throw new IllegalArgumentException(
            "case " + i + ": grades (true " + truth[i] + ", predicted " + predicted[i] + ") outside 0.."
                + (classes - 1));
      }
      m.add(truth[i], predicted[i]);
    }
    return m;
  }

  public void add(int truth, int predicted) {
    counts[truth][predicted]++;
  }

  /** Empties every cell, so that one matrix can be refilled (the bootstrap does so once per resample). */
  public void clear() {
    for (long[] row : counts) {
      Arrays.fill(row, 0);
    }
  }

  public int classes() {
    return counts.length;
  }

  public long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  public long total() {
    return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
  }

  /** The counts as nested lists, rows first, for JSON. */
  public List<List<Long>> toJson() {
    return Arrays.stream(counts).map(row -> Arrays.stream(row).boxed().toList()).toList();
  }

  public long[][] toArray() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }
}
