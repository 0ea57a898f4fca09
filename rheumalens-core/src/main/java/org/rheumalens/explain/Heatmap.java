package org.rheumalens.explain;

/**
 * A map of how much each location mattered to a grade, row-major. Values are the method's own units (Grad-CAM:
 * rectified weighted activation; occlusion: drop in probability), so raw maps stay comparable within a method.
 */
public record Heatmap(String method, int grade, int width, int height, float[] values) {

  public Heatmap {
    if (width <= 0 || height <= 0 || (long) width * height != values.length) {
      throw new IllegalArgumentException("heatmap " + width + "x" + height + " has " + values.length + " values");
    }
  }

  /** Bilinear resize on cell centres, so each coarse cell stays over the input region it summarises. */
  public Heatmap resized(int newWidth, int newHeight) {
    float[] out = new float[newWidth * newHeight];
    float sx = (float) width / newWidth;
    float sy = (float) height / newHeight;
    for (int y = 0; y < newHeight; y++) {
      float fy = Math.max(0, Math.min(height - 1, (y + 0.5f) * sy - 0.5f));
      int y0 = (int) fy;
      int y1 = Math.min(height - 1, y0 + 1);
      float wy = fy - y0;
      for (int x = 0; x < newWidth; x++) {
        float fx = Math.max(0, Math.min(width - 1, (x + 0.5f) * sx - 0.5f));
        int x0 = (int) fx;
        int x1 = Math.min(width - 1, x0 + 1);
        float wx = fx - x0;
        float top = values[y0 * width + x0] * (1 - wx) + values[y0 * width + x1] * wx;
        float bottom = values[y1 * width + x0] * (1 - wx) + values[y1 * width + x1] * wx;
        out[y * newWidth + x] = top * (1 - wy) + bottom * wy;
      }
    }
    return new Heatmap(method, grade, newWidth, newHeight, out);
  }

  public float max() {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** Share of the map's positive mass inside the rectangle [x0, x1) x [y0, y1); 0 when there is no positive mass. */
  public double positiveMassInside(int x0, int y0, int x1, int y1) {
    double inside = 0;
    double total = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float v = values[y * width + x];
        if (v > 0) {
          total += v;
          if (x >= x0 && x < x1 && y >= y0 && y < y1) {
            inside += v;
          }
        }
      }
    }
    return total == 0 ? 0 : inside / total;
  }
}
