package org.rheumalens.explain;

import java.util.ArrayList;
import java.util.List;
import org.rheumalens.ml.GradingModel;
import org.rheumalens.ml.NetworkOutput;
import org.rheumalens.preprocess.Plane;

/**
 * Occlusion sensitivity (Zeiler and Fergus 2014), a model-agnostic check on Grad-CAM: grey out one square patch at a
 * time and record how much the grade's probability falls. Each pixel gets the mean fall over the patches covering it;
 * positive values mark evidence for the grade. Costs one forward pass per patch position, run in batches.
 */
public final class OcclusionSensitivity {

  public static final String METHOD = "occlusion";
  /** Mean intensity of the normalised training inputs: the patch carries no information. */
  private static final float FILL = 0.5f;

  private final int patch;
  private final int stride;

  public OcclusionSensitivity(int patch, int stride) {
    if (patch < 1 || stride < 1) {
      throw new IllegalArgumentException("patch and stride must be positive");
    }
    this.patch = patch;
    this.stride = stride;
  }

  /** Patches an eighth of the input wide, half-overlapping: 13 x 13 positions on a 224 input. */
  public static OcclusionSensitivity forInput(int inputSize) {
    int patch = Math.max(1, inputSize / 7);
    return new OcclusionSensitivity(patch, Math.max(1, patch / 2));
  }

  public Heatmap of(GradingModel model, Plane input, int grade) {
    int w = input.width();
    int h = input.height();
    List<int[]> positions = new ArrayList<>();
    for (int y : starts(h)) {
      for (int x : starts(w)) {
        positions.add(new int[] {x, y});
      }
    }
    List<Plane> batch = new ArrayList<>(positions.size() + 1);
    batch.add(input);
    for (int[] p : positions) {
      float[] data = input.data().clone();
      for (int c = 0; c < input.channels(); c++) {
        for (int y = p[1]; y < Math.min(h, p[1] + patch); y++) {
          int row = (c * h + y) * w;
          java.util.Arrays.fill(data, row + p[0], row + Math.min(w, p[0] + patch), FILL);
        }
      }
      batch.add(new Plane(w, h, input.channels(), data));
    }
    List<NetworkOutput> outputs = model.forward(batch, null);
    float base = model.probabilities(outputs.get(0).logits())[grade];
    float[] sum = new float[w * h];
    int[] count = new int[w * h];
    for (int i = 0; i < positions.size(); i++) {
      float drop = base - model.probabilities(outputs.get(i + 1).logits())[grade];
      int[] p = positions.get(i);
      for (int y = p[1]; y < Math.min(h, p[1] + patch); y++) {
        for (int x = p[0]; x < Math.min(w, p[0] + patch); x++) {
          sum[y * w + x] += drop;
          count[y * w + x]++;
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
    }
    return new Heatmap(METHOD, grade, w, h, sum);
  }

  /** Patch origins along one side: every stride, plus one flush with the far edge so no border goes untested. */
  private List<Integer> starts(int length) {
    int size = Math.min(patch, length);
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s + size <= length; s += stride) {
      out.add(s);
    }
    if (out.get(out.size() - 1) + size < length) {
      out.add(length - size);
    }
    return out;
  }
}
