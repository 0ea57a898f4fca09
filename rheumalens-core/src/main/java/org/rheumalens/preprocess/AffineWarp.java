package org.rheumalens.preprocess;

/**
 * A rotation by {@code angle} radians, isotropic scale and shift in pixels about the image centre, then an optional
 * left-right mirror: walked as an inverse mapping, so that every output pixel gets the source position it shows.
 * Shared by the image warps and by segmentation augmentation, which moves image and mask through the same positions.
 */
public record AffineWarp(double angle, double scale, double shiftX, double shiftY, boolean flip) {

  /** Receives each output pixel's index and its source position. */
  @FunctionalInterface
  public interface PixelSink {
    void accept(int index, double sourceX, double sourceY);
  }

  /** Calls {@code sink} for every pixel of a {@code width} x {@code height} output, row by row. */
  public void forEachPixel(int width, int height, PixelSink sink) {
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    for (int y = 0; y < height; y++) {
      double dy = y - cy - shiftY;
      for (int x = 0; x < width; x++) {
        double dx = x - cx - shiftX;
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        sink.accept(y * width + x, flip ? width - 1 - sx : sx, sy);
      }
    }
  }
}
