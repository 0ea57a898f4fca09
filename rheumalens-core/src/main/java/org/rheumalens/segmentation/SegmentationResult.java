package org.rheumalens.segmentation;

import java.util.List;

/**
 * A segmentation network's answer for one image.
 *
 * @param classes class names by mask index, the background first
 * @param mask the most likely class per pixel
 * @param probabilities softmax probabilities, class-major: {@code [class][y][x]} flattened (classes x H x W)
 * @param entropy per-pixel predictive entropy of the probabilities divided by ln(classes), row-major: 0 where the
 *     network is certain, 1 where all classes are equally likely
 * @param meanStructureEntropy the mean of {@code entropy} over the pixels predicted as any structure (not
 *     background): how unsure the network is about what it outlined, for triage. When it outlines nothing, the mean
 *     over the whole image, so that an image the network hesitates over everywhere still reads as uncertain
 */
public record SegmentationResult(
    List<String> classes, LabelMask mask, float[] probabilities, float[] entropy, double meanStructureEntropy) {

  public SegmentationResult {
    classes = List.copyOf(classes);
    int pixels = mask.width() * mask.height();
    if (probabilities.length != classes.size() * pixels || entropy.length != pixels) {
      throw new IllegalArgumentException("a " + mask.width() + "x" + mask.height() + " result over " + classes.size()
          + " classes got " + probabilities.length + " probabilities and " + entropy.length + " entropies");
    }
  }

  /** Builds the result from classes x H x W probabilities: mask by argmax, normalised entropy and its mean. */
  static SegmentationResult of(List<String> classes, int width, int height, float[] probabilities) {
    int pixels = width * height;
    int k = classes.size();
    byte[] labels = new byte[pixels];
    float[] entropy = new float[pixels];
    double norm = Math.log(k);
    double structureSum = 0;
    double allSum = 0;
    int structurePixels = 0;
    for (int p = 0; p < pixels; p++) {
      int best = 0;
      double h = 0;
      for (int c = 0; c < k; c++) {
        float q = probabilities[c * pixels + p];
        if (q > probabilities[best * pixels + p]) {
          best = c;
        }
        h -= q > 0 ? q * Math.log(q) : 0;
      }
      labels[p] = (byte) best;
      entropy[p] = (float) (h / norm);
      allSum += entropy[p];
      if (best != 0) {
        structureSum += entropy[p];
        structurePixels++;
      }
    }
    double mean = structurePixels > 0 ? structureSum / structurePixels : allSum / pixels;
    return new SegmentationResult(classes, new LabelMask(width, height, labels), probabilities, entropy, mean);
  }

  /** The probability of class {@code c} at pixel (x, y). */
  public float probability(int c, int x, int y) {
    return probabilities[(c * mask.height() + y) * mask.width() + x];
  }

  /** Sizes of the predicted structures; {@code spacing} may be null. */
  public java.util.Map<String, StructureSize> sizes(PixelSpacing spacing) {
    return StructureSize.measure(mask, classes, spacing);
  }
}
