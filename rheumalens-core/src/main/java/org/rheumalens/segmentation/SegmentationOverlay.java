package org.rheumalens.segmentation;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rheumalens.explain.HeatmapRenderer;
import org.rheumalens.preprocess.Plane;

/**
 * Pictures of a segmentation for a reader: the mask in one colour per class over the grey image (filled lightly,
 * outlined solidly, so the anatomy under it stays visible) with a legend of class names and sizes, and the
 * uncertainty map on a fixed 0-1 scale, so that maps of different images compare. Pure Java2D, headless.
 */
public final class SegmentationOverlay {

  private static final int TITLE = 28;
  private static final int LEGEND = 200;
  private static final float FILL_ALPHA = 0.35f;
  /** Distinct colours for structure classes 1, 2, ... (class 0, the background, is not drawn); repeats after 8. */
  private static final int[][] PALETTE = {
    {230, 75, 53}, {77, 187, 213}, {0, 160, 135}, {243, 155, 127}, {145, 209, 194}, {220, 0, 0}, {126, 97, 72},
    {255, 215, 0}
  };

  private SegmentationOverlay() {}

  /** The mask over the image, with a legend giving each class's colour and, where {@code sizes} is given, its size. */
  public static BufferedImage render(Plane image, LabelMask mask, List<String> classes, Map<String, StructureSize> sizes,
      String title) {
    checkSize(image, mask.width(), mask.height());
    int scale = scale(image);
    int w = image.width() * scale;
    int h = image.height() * scale;
    BufferedImage out = new BufferedImage(w + LEGEND, h + TITLE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int px = x / scale;
        int py = y / scale;
        float grey = Math.max(0f, Math.min(1f, image.at(px, py))) * 255f;
        int label = mask.at(px, py);
        int rgb;
        if (label == 0) {
          int g = Math.round(grey);
          rgb = (g << 16) | (g << 8) | g;
        } else {
          int[] c = classColour(label);
          float a = isOutline(mask, px, py) ? 1f : FILL_ALPHA;
          rgb = (blend(grey, c[0], a) << 16) | (blend(grey, c[1], a) << 8) | blend(grey, c[2], a);
        }
        out.setRGB(x, y + TITLE, rgb);
      }
    }
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(title, 6, 19);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      int row = TITLE + 16;
      for (int c = 1; c < classes.size(); c++) {
        int[] colour = classColour(c);
        g.setColor(new Color(colour[0], colour[1], colour[2]));
        g.fillRect(w + 10, row - 10, 12, 12);
        g.setColor(Color.WHITE);
        g.drawString(classes.get(c), w + 28, row);
        StructureSize size = sizes == null ? null : sizes.get(classes.get(c));
        if (size != null) {
          g.drawString(describe(size), w + 28, row + 14);
        }
        row += sizes == null ? 18 : 34;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The uncertainty (normalised entropy, 0-1) over the image, with a colour bar. */
  public static BufferedImage renderUncertainty(Plane image, float[] entropy, String title) {
    if (entropy.length != image.width() * image.height()) {
      throw new IllegalArgumentException("the image has " + image.width() * image.height() + " pixels but the map "
          + entropy.length);
    }
    int scale = scale(image);
    int w = image.width() * scale;
    int h = image.height() * scale;
    BufferedImage out = new BufferedImage(w + LEGEND, h + TITLE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y / scale) * image.width() + x / scale;
        float grey = Math.max(0f, Math.min(1f, image.data()[i])) * 255f;
        float v = Math.max(0f, Math.min(1f, entropy[i]));
        int[] c = HeatmapRenderer.colour(v);
        // Opacity grows with the uncertainty, so where the network is sure the image shows through.
        float a = 0.75f * (float) Math.sqrt(v);
        out.setRGB(x, y + TITLE, (blend(grey, c[0], a) << 16) | (blend(grey, c[1], a) << 8) | blend(grey, c[2], a));
      }
    }
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(title, 6, 19);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      int barX = w + 20;
      g.drawString("entropy / ln K", barX - 2, TITLE + 16);
      int barTop = TITLE + 40;
      int barHeight = Math.max(2, h - 60);
      for (int y = 0; y < barHeight; y++) {
        int[] c = HeatmapRenderer.colour(1f - (float) y / (barHeight - 1));
        g.setColor(new Color(c[0], c[1], c[2]));
        g.fillRect(barX, barTop + y, 18, 1);
      }
      g.setColor(Color.WHITE);
      g.drawString("1 (uniform)", barX - 2, barTop - 6);
      g.drawString("0 (certain)", barX - 2, barTop + barHeight + 14);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Colour of structure class {@code label} (1, 2, ...), RGB 0-255. */
  public static int[] classColour(int label) {
    return PALETTE[(label - 1) % PALETTE.length];
  }

  private static String describe(StructureSize size) {
    return Double.isNaN(size.areaMm2())
        ? String.format(Locale.ROOT, "%d px, width %.0f px", size.pixels(), size.maxWidthPixels())
        : String.format(Locale.ROOT, "%.1f mm², width %.1f mm", size.areaMm2(), size.maxWidthMm());
  }

  private static boolean isOutline(LabelMask mask, int x, int y) {
    int label = mask.at(x, y);
    return x == 0 || y == 0 || x == mask.width() - 1 || y == mask.height() - 1 || mask.at(x - 1, y) != label
        || mask.at(x + 1, y) != label || mask.at(x, y - 1) != label || mask.at(x, y + 1) != label;
  }

  private static int blend(float grey, int colour, float alpha) {
    return Math.round(grey * (1 - alpha) + colour * alpha);
  }

  /** Small images are drawn larger, so that the legend and outlines stay readable. */
  private static int scale(Plane image) {
    return Math.max(1, 256 / Math.max(image.width(), image.height()));
  }

  private static void checkSize(Plane image, int width, int height) {
    if (image.width() != width || image.height() != height || width <= 0) {
      throw new IllegalArgumentException("the image is " + image.width() + "x" + image.height() + " but the map "
          + width + "x" + height);
    }
  }
}
