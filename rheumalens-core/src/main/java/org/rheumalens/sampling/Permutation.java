package org.rheumalens.sampling;

import java.util.SplittableRandom;

/** Seeded random orders, so that every training run visits its data in a reproducible order. */
public final class Permutation {

  private Permutation() {}

  /** 0..n-1 in a random order (Fisher-Yates) drawn from {@code random}. */
  public static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
