package org.rheumalens.segmentation;

/**
 * A label image: one class index per pixel (0 is the background, 1.. the structures), row-major, stored as unsigned
 * bytes so up to 255 structure classes fit.
 */
public record LabelMask(int width, int height, byte[] labels) {

  public LabelMask {
    if (width <= 0 || height <= 0 || (long) width * height != labels.length) {
      throw new IllegalArgumentException("mask " + width + "x" + height + " has " + labels.length + " labels");
    }
  }

  /** A mask from class indices in 0..255, checked. */
  public static LabelMask of(int width, int height, int[] labels) {
    byte[] bytes = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] > 255) {
        throw new IllegalArgumentException("label " + labels[i] + " at pixel " + i + " is outside 0..255");
      }
      bytes[i] = (byte) labels[i];
    }
    return new LabelMask(width, height, bytes);
  }

  public static LabelMask empty(int width, int height) {
    return new LabelMask(width, height, new byte[width * height]);
  }

  /** The class index of pixel {@code i} (row-major). */
  public int label(int i) {
    return labels[i] & 0xff;
  }

  public int at(int x, int y) {
    return label(y * width + x);
  }

  /** The pixels of one class. */
  public boolean[] region(int label) {
    boolean[] out = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = label(i) == label;
    }
    return out;
  }

  public int count(int label) {
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      n += label(i) == label ? 1 : 0;
    }
    return n;
  }

  public int maxLabel() {
    int max = 0;
    for (int i = 0; i < labels.length; i++) {
      max = Math.max(max, label(i));
    }
    return max;
  }

  /** Equal when the sizes and every label are: a record would compare the arrays by identity. */
  @Override
  public boolean equals(Object other) {
    return other instanceof LabelMask m && m.width == width && m.height == height
        && java.util.Arrays.equals(m.labels, labels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + java.util.Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "LabelMask[" + width + "x" + height + ", max label " + maxLabel() + "]";
  }

  public int[] toIntArray() {
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = label(i);
    }
    return out;
  }
}
