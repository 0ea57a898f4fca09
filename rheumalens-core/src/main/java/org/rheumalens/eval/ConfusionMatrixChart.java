package org.rheumalens.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a confusion matrix (or two readers' cross-tabulation) as a PNG: counts in each cell, shading by row share
 * (the recall view, so that rare grades are as readable as common ones). Pure Java2D on a {@link BufferedImage}, so it
 * runs headless.
 */
public final class ConfusionMatrixChart {

  private static final int CELL = 84;
  private static final int LEFT = 130;
  private static final int TOP = 110;
  private static final int RIGHT = 30;
  private static final int BOTTOM = 40;
  /** Wide enough for the title even when a task has only two or three grades. */
  private static final int MIN_WIDTH = 560;
  private static final Color FULL = new Color(0x08, 0x30, 0x6b);
  private static final Color EMPTY = Color.WHITE;

  private ConfusionMatrixChart() {}

  /** Renders the matrix of {@code metrics} with a title giving n, accuracy and QWK. */
  public static BufferedImage render(GradingMetrics metrics, List<String> grades) {
    String title = String.format(Locale.ROOT, "Confusion matrix (n = %d): accuracy %.3f, QWK %.3f",
        metrics.n(), metrics.accuracy(), metrics.quadraticWeightedKappa());
    return render(metrics.confusion(), grades, title, "true grade", "predicted grade");
  }

  /**
   * Renders any cross-tabulation of two raters over the same labels (e.g. two readers' grades), shaded by row share.
   *
   * @param rows what the rows are, e.g. the first reader
   * @param columns what the columns are
   */
  public static BufferedImage render(ConfusionMatrix m, List<String> labels, String title, String rows,
      String columns) {
    int k = m.classes();
    if (labels.size() != k) {
      throw new IllegalArgumentException(labels.size() + " labels for a " + k + "x" + k + " matrix");
    }
    Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    int width = Math.max(Math.max(MIN_WIDTH, LEFT + k * CELL + RIGHT), textWidth(title, titleFont) + 2 * RIGHT);
    int height = TOP + k * CELL + BOTTOM;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);

      g.setFont(titleFont);
      centre(g, title, width / 2, 28);

      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      centre(g, columns, LEFT + k * CELL / 2, 62);
      drawVertical(g, rows, 24, TOP + k * CELL / 2);

      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (int i = 0; i < k; i++) {
        centre(g, labels.get(i), LEFT + i * CELL + CELL / 2, TOP - 14);
        rightAlign(g, labels.get(i), LEFT - 10, TOP + i * CELL + CELL / 2);
      }

      drawCells(g, m);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Renders and writes a PNG to {@code file}. */
  public static void write(GradingMetrics metrics, List<String> grades, Path file) throws IOException {
    writePng(render(metrics, grades), file);
  }

  /** Writes a rendered chart as a PNG. */
  static void writePng(BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
  }

  private static void drawCells(Graphics2D g, ConfusionMatrix m) {
    int k = m.classes();
    Font countFont = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    Font shareFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    for (int i = 0; i < k; i++) {
      long rowTotal = 0;
      for (int j = 0; j < k; j++) {
        rowTotal += m.count(i, j);
      }
      for (int j = 0; j < k; j++) {
        long count = m.count(i, j);
        double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
        int x = LEFT + j * CELL;
        int y = TOP + i * CELL;
        g.setColor(blend(share));
        g.fillRect(x, y, CELL, CELL);
        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
        g.setFont(countFont);
        centre(g, Long.toString(count), x + CELL / 2, y + CELL / 2 - 8);
        if (rowTotal > 0) {
          g.setFont(shareFont);
          centre(g, String.format(Locale.ROOT, "%.0f%%", 100 * share), x + CELL / 2, y + CELL / 2 + 16);
        }
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    for (int i = 0; i <= k; i++) {
      g.drawLine(LEFT, TOP + i * CELL, LEFT + k * CELL, TOP + i * CELL);
      g.drawLine(LEFT + i * CELL, TOP, LEFT + i * CELL, TOP + k * CELL);
    }
  }

  /** Measured on a scratch image, since the chart's own size depends on it. */
  private static int textWidth(String text, Font font) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(font).stringWidth(text);
    } finally {
      g.dispose();
    }
  }

  private static Color blend(double share) {
    return new Color(
        mix(EMPTY.getRed(), FULL.getRed(), share),
        mix(EMPTY.getGreen(), FULL.getGreen(), share),
        mix(EMPTY.getBlue(), FULL.getBlue(), share));
  }

  private static int mix(int from, int to, double t) {
    return (int) Math.round(from + (to - from) * t);
  }

  /** Draws text centred horizontally at x with its vertical middle at y. */
  private static void centre(Graphics2D g, String text, int x, int y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, x - fm.stringWidth(text) / 2, y + (fm.getAscent() - fm.getDescent()) / 2);
  }

  private static void rightAlign(Graphics2D g, String text, int x, int y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, x - fm.stringWidth(text), y + (fm.getAscent() - fm.getDescent()) / 2);
  }

  private static void drawVertical(Graphics2D g, String text, int x, int y) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(-Math.PI / 2);
    centre(g, text, 0, 0);
    g.setTransform(saved);
  }
}
