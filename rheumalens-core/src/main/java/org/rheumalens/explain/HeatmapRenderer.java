package org.rheumalens.explain;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.rheumalens.preprocess.Plane;

/**
 * Draws a heatmap over the greyscale model input with a perceptual colour map (positive values only, transparent at
 * zero) and a legend bar giving the scale in the method's units. Pure Java2D, headless.
 */
public final class HeatmapRenderer {

  private static final int SCALE = 2;
  private static final int LEGEND = 90;
  private static final int TITLE = 28;
  private static final float MAX_ALPHA = 0.6f;
  /** Key colours of a dark-blue to yellow ramp (close to viridis), interpolated linearly. */
  private static final int[][] RAMP = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
  };

  private HeatmapRenderer() {}

  /** The input's red, green or blue at pixel i in levels of 255: its grey for a grey input, its colour for RGB. */
  private static float under(Plane input, int rgb, int i) {
    int channel = input.channels() == 3 ? rgb : 0;
    return Math.max(0f, Math.min(1f, input.data()[channel * input.width() * input.height() + i])) * 255f;
  }

  public static BufferedImage render(Plane input, Heatmap map, String title) {
    Heatmap fitted = map.width() == input.width() && map.height() == input.height() ? map : map.resized(input.width(), input.height());
    int w = input.width() * SCALE;
    int h = input.height() * SCALE;
    BufferedImage image = new BufferedImage(w + LEGEND, h + TITLE, BufferedImage.TYPE_INT_RGB);
    float max = Math.max(1e-12f, fitted.max());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y / SCALE) * input.width() + x / SCALE;
        float v = Math.max(0f, fitted.values()[i]) / max;
        int[] c = colour(v);
        float a = MAX_ALPHA * (float) Math.sqrt(v);
        int r = Math.round(under(input, 0, i) * (1 - a) + c[0] * a);
        int g = Math.round(under(input, 1, i) * (1 - a) + c[1] * a);
        int b = Math.round(under(input, 2, i) * (1 - a) + c[2] * a);
        image.setRGB(x, y + TITLE, (r << 16) | (g << 8) | b);
      }
    }
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(title, 6, 19);
      int barX = w + 20;
      int barTop = TITLE + 20;
      int barHeight = h - 40;
      for (int y = 0; y < barHeight; y++) {
        int[] c = colour(1f - (float) y / (barHeight - 1));
        g.setColor(new Color(c[0], c[1], c[2]));
        g.fillRect(barX, barTop + y, 18, 1);
      }
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.drawString(String.format(Locale.ROOT, "%.3g", max), barX - 2, barTop - 6);
      g.drawString("0", barX + 4, barTop + barHeight + 14);
      g.drawString(units(fitted.method()), w + 4, h + TITLE - 2);
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * The heatmap alone as a transparent RGBA image at its own resolution (colour ramp, opacity rising with the value):
   * a viewer lays it over the image it belongs to and sets its overall opacity itself.
   */
  public static BufferedImage transparent(Heatmap map) {
    BufferedImage image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_INT_ARGB);
    float max = Math.max(1e-12f, map.max());
    for (int y = 0; y < map.height(); y++) {
      for (int x = 0; x < map.width(); x++) {
        float v = Math.max(0f, map.values()[y * map.width() + x]) / max;
        int[] c = colour(v);
        int alpha = Math.round(255 * (float) Math.sqrt(v));
        image.setRGB(x, y, (alpha << 24) | (c[0] << 16) | (c[1] << 8) | c[2]);
      }
    }
    return image;
  }

  public static void write(Path png, Plane input, Heatmap map, String title) throws IOException {
    ImageIO.write(render(input, map, title), "png", png.toFile());
  }

  private static String units(String method) {
    return GradCam.METHOD.equals(method) ? "Grad-CAM" : "prob. drop";
  }

  /** The ramp's colour (RGB, 0-255) at {@code v} in [0, 1]; other maps (segmentation uncertainty) share it. */
  public static int[] colour(float v) {
    float t = Math.max(0f, Math.min(1f, v)) * (RAMP.length - 1);
    int i = Math.min(RAMP.length - 2, (int) t);
    float f = t - i;
    int[] out = new int[3];
    for (int k = 0; k < 3; k++) {
      out[k] = Math.round(RAMP[i][k] * (1 - f) + RAMP[i + 1][k] * f);
    }
    return out;
  }
}
