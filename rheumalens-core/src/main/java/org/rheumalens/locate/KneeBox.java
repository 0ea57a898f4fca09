package org.rheumalens.locate;

/** A square region of a radiograph in source pixels: top-left corner and side. */
public record KneeBox(double x, double y, double size) {

  public double centreX() {
    return x + size / 2;
  }

  public double centreY() {
    return y + size / 2;
  }

  /** Intersection over union with {@code other}. */
  public double iou(KneeBox other) {
    double ix = Math.max(0, Math.min(x + size, other.x + other.size) - Math.max(x, other.x));
    double iy = Math.max(0, Math.min(y + size, other.y + other.size) - Math.max(y, other.y));
    double intersection = ix * iy;
    return intersection / (size * size + other.size * other.size - intersection);
  }
}
