package org.rheumalens.segmentation;

import java.util.ArrayList;
import java.util.List;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.locate.KneeBox;
import org.rheumalens.tasks.GradingTask;

/**
 * A region stage: a segmentation model trained to paint each region of interest (a joint, say) in its own class
 * finds them in a whole image, and each found class becomes a square box in source pixels around it, to be cut out
 * and scored by another task's model (as Sharp/van der Heijde scoring reads joint by joint).
 */
public final class RegionFinder {

  /**
   * One region found: its class name, its square box in source pixels (the painted extent times the margin), and how
   * many model pixels were painted with it.
   */
  public record Region(String name, KneeBox box, int pixels) {}

  /** Fewer painted model pixels than this are noise, not a region. */
  static final int MIN_PIXELS = 4;

  private RegionFinder() {}

  /** The pixel indices of the largest 4-connected patch of {@code label} in {@code mask} (empty when none). */
  static int[] largestPatch(LabelMask mask, int label) {
    int w = mask.width();
    int n = w * mask.height();
    boolean[] seen = new boolean[n];
    int[] best = new int[0];
    int[] queue = new int[n];
    for (int start = 0; start < n; start++) {
      if (seen[start] || mask.label(start) != label) {
        continue;
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      seen[start] = true;
      while (head < tail) {
        int i = queue[head++];
        int x = i % w;
        int[] neighbours = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w};
        for (int j : neighbours) {
          if (j >= 0 && j < n && !seen[j] && mask.label(j) == label) {
            seen[j] = true;
            queue[tail++] = j;
          }
        }
      }
      if (tail > best.length) {
        best = java.util.Arrays.copyOf(queue, tail);
      }
    }
    return best;
  }

  /** The regions of {@code source} in {@code result} (the region model's prediction on it), in class order. */
  public static List<Region> find(SegmentationResult result, GradingTask regionTask, Radiograph source, double margin) {
    ModelGrid grid = ModelGrid.of(regionTask, source.width(), source.height());
    LabelMask mask = result.mask();
    List<Region> regions = new ArrayList<>();
    for (int c = 1; c < result.classes().size(); c++) {
      // The largest connected patch of the class: stray pixels elsewhere must not stretch the box.
      int[] patch = largestPatch(mask, c);
      int count = patch.length;
      if (count < MIN_PIXELS) {
        continue;
      }
      double sumX = 0;
      double sumY = 0;
      int minX = Integer.MAX_VALUE;
      int minY = Integer.MAX_VALUE;
      int maxX = -1;
      int maxY = -1;
      for (int index : patch) {
        int x = index % mask.width();
        int y = index / mask.width();
        sumX += x;
        sumY += y;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
      double side = Math.max(maxX - minX + 1, maxY - minY + 1) * grid.scale() * margin;
      double centreX = grid.sourceX((minX + maxX) / 2.0);
      double centreY = grid.sourceY((minY + maxY) / 2.0);
      regions.add(new Region(result.classes().get(c), new KneeBox(centreX - side / 2, centreY - side / 2, side), count));
    }
    return regions;
  }
}
