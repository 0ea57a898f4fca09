package org.rheumalens.oversight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * When a grade may be accepted without a reader: its calibrated confidence is at least {@code minConfidence} and it
 * is not borderline (the runner-up is an adjacent grade within {@code borderlineMargin} of it). Both limits are fitted
 * on val so that the auto-accepted val cases reach {@code targetAccuracy}, with as many cases accepted as possible.
 *
 * @param targetAccuracy val accuracy the auto-accepted cases must reach
 * @param minConfidence lowest calibrated confidence accepted without review (above 1: everything is reviewed)
 * @param borderlineMargin a runner-up adjacent grade closer than this makes the case borderline (0: never)
 * @param valCoverage share of val cases auto-accepted under these limits
 * @param valAcceptedAccuracy their accuracy
 * @param valAccepted how many they were
 */
public record TriagePolicy(double targetAccuracy, double minConfidence, double borderlineMargin, double valCoverage,
    double valAcceptedAccuracy, int valAccepted) {

  public static final String LOW_CONFIDENCE = "low_confidence";
  public static final String BORDERLINE = "borderline";
  public static final String OUT_OF_DISTRIBUTION = "ood";
  public static final String POOR_IMAGE_QUALITY = "poor_image_quality";

  /** Fewest val cases a threshold may rest on; a 90% accuracy measured on five cases means nothing. */
  static final int MIN_ACCEPTED = 20;
  private static final double[] MARGINS = {0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3};

  /** The model-level reasons (confidence, borderline) this case needs review for; empty when it may be accepted. */
  public List<String> reasons(float[] probabilities, int grade) {
    List<String> out = new ArrayList<>();
    if (probabilities[grade] < minConfidence) {
      out.add(LOW_CONFIDENCE);
    }
    if (isBorderline(probabilities, grade, borderlineMargin)) {
      out.add(BORDERLINE);
    }
    return out;
  }

  /** The runner-up grade is next to the chosen one and nearly as probable. */
  static boolean isBorderline(float[] p, int grade, double margin) {
    if (margin <= 0) {
      return false;
    }
    int runnerUp = -1;
    for (int k = 0; k < p.length; k++) {
      if (k != grade && (runnerUp < 0 || p[k] > p[runnerUp])) {
        runnerUp = k;
      }
    }
    return Math.abs(runnerUp - grade) == 1 && p[grade] - p[runnerUp] < margin;
  }

  /** Fits the limits on val: for each borderline margin, the lowest confidence limit meeting the target; best coverage wins. */
  public static TriagePolicy fit(float[][] probabilities, int[] decided, int[] truth, double targetAccuracy) {
    int n = truth.length;
    TriagePolicy best = new TriagePolicy(targetAccuracy, 1.01, 0, 0, 0, 0);
    for (double margin : MARGINS) {
      int[] kept = IntStream.range(0, n).filter(i -> !isBorderline(probabilities[i], decided[i], margin))
          .boxed().sorted(Comparator.comparingDouble(i -> -probabilities[i][decided[i]])).mapToInt(Integer::intValue).toArray();
      int hits = 0;
      int bestK = 0;
      for (int k = 1; k <= kept.length; k++) {
        hits += decided[kept[k - 1]] == truth[kept[k - 1]] ? 1 : 0;
        boolean distinctCut = k == kept.length
            || probabilities[kept[k]][decided[kept[k]]] < probabilities[kept[k - 1]][decided[kept[k - 1]]];
        if (k >= MIN_ACCEPTED && distinctCut && (double) hits / k >= targetAccuracy) {
          bestK = k;
        }
      }
      if (bestK > best.valAccepted()) {
        int last = kept[bestK - 1];
        int accepted = bestK;
        long correct = Arrays.stream(kept, 0, bestK).filter(i -> decided[i] == truth[i]).count();
        best = new TriagePolicy(targetAccuracy, probabilities[last][decided[last]], margin, (double) accepted / n,
            (double) correct / accepted, accepted);
      }
    }
    return best;
  }
}
