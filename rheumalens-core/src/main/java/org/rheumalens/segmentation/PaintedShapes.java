package org.rheumalens.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Regions given in a manifest as coordinates instead of a mask file: boxes {@code CLASS x0 y0 x1 y1} or points
 * {@code CLASS x y} in source pixels, several separated by {@code ;} (e.g. {@code "mcp2 40 52 88 96; mcp3 92 50 140
 * 94"}). They are painted into a label image of the source's size, so a region model trains from boxes or landmarks
 * exactly as from painted masks: a box is filled, a point becomes a disc {@link #POINT_RADIUS_FRACTION} of the
 * image's shorter side across. Later shapes paint over earlier ones.
 */
public final class PaintedShapes {

  /** A point's disc radius, as a share of the image's shorter side. */
  public static final double POINT_RADIUS_FRACTION = 0.04;

  private record Shape(int label, double[] numbers) {}

  private final List<Shape> shapes;

  private PaintedShapes(List<Shape> shapes) {
    this.shapes = shapes;
  }

  /** Whether a manifest cell is written as shapes (a class name then numbers) rather than a mask file's path. */
  public static boolean looksLikeShapes(String cell) {
    String first = cell.split(";", 2)[0].trim();
    String[] parts = first.split("\\s+");
    return (parts.length == 3 || parts.length == 5) && isNumber(parts[1]);
  }

  /**
   * Parses a cell against the output's {@code classes} (class 0, the background, cannot be painted).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static PaintedShapes parse(String cell, List<String> classes) {
    List<Shape> shapes = new ArrayList<>();
    for (String part : cell.split(";")) {
      String text = part.trim();
      if (text.isEmpty()) {
        continue;
      }
      String[] tokens = text.split("\\s+");
      int label = classes.indexOf(tokens[0]);
      if (label <= 0) {
        throw new IllegalArgumentException("\"" + tokens[0] + "\" is not one of the task's region classes "
            + classes.subList(1, classes.size()));
      }
      if (tokens.length != 3 && tokens.length != 5) {
        throw new IllegalArgumentException("\"" + text + "\" is neither a box (CLASS x0 y0 x1 y1) nor a point (CLASS x y)");
      }
      double[] numbers = new double[tokens.length - 1];
      for (int i = 1; i < tokens.length; i++) {
        if (!isNumber(tokens[i])) {
          throw new IllegalArgumentException("\"" + tokens[i] + "\" in \"" + text + "\" is not a number");
        }
        numbers[i - 1] = Double.parseDouble(tokens[i]);
      }
      if (numbers.length == 4 && (numbers[2] <= numbers[0] || numbers[3] <= numbers[1])) {
        throw new IllegalArgumentException("box \"" + text + "\" needs x1 > x0 and y1 > y0");
      }
      shapes.add(new Shape(label, numbers));
    }
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("no box or point given");
    }
    return new PaintedShapes(shapes);
  }

  /** The label image ({@code width} x {@code height}, row-major class indices); shapes outside it are an error. */
  public int[] paint(int width, int height) {
    int[] labels = new int[width * height];
    double radius = POINT_RADIUS_FRACTION * Math.min(width, height);
    for (Shape shape : shapes) {
      double[] n = shape.numbers();
      boolean box = n.length == 4;
      double x0 = box ? n[0] : n[0] - radius;
      double y0 = box ? n[1] : n[1] - radius;
      double x1 = box ? n[2] : n[0] + radius;
      double y1 = box ? n[3] : n[1] + radius;
      if ((box ? x0 : n[0]) < 0 || (box ? y0 : n[1]) < 0 || (box ? x1 : n[0]) > width || (box ? y1 : n[1]) > height) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s (%s) lies outside the %dx%d image",
            box ? "box" : "point", describe(n), width, height));
      }
      for (int y = Math.max(0, (int) Math.floor(y0)); y < Math.min(height, (int) Math.ceil(y1)); y++) {
        for (int x = Math.max(0, (int) Math.floor(x0)); x < Math.min(width, (int) Math.ceil(x1)); x++) {
          double dx = x + 0.5 - n[0];
          double dy = y + 0.5 - n[1];
          if (box || dx * dx + dy * dy <= radius * radius) {
            labels[y * width + x] = shape.label();
          }
        }
      }
    }
    return labels;
  }

  private static String describe(double[] numbers) {
    StringBuilder out = new StringBuilder();
    for (double v : numbers) {
      out.append(out.length() == 0 ? "" : " ").append(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
    }
    return out.toString();
  }

  private static boolean isNumber(String token) {
    try {
      return Double.isFinite(Double.parseDouble(token));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
