package org.rheumalens.server.http;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.IntensityWindow;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.preprocess.SquareResize;
import org.rheumalens.tasks.GradingTask;

/**
 * What the viewer shows: the region the model saw (the task's centre square), windowed as the model windows it, at
 * up to 512 pixels so a reader can zoom. The heatmap covers exactly this square.
 */
final class DisplayImage {

  static final int MAX_SIZE = 512;

  private DisplayImage() {}

  static byte[] png(Radiograph radiograph, GradingTask task) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(render(radiograph, task), "png", out);
    return out.toByteArray();
  }

  /** The display image with the heatmap overlay (if any) drawn over it at {@code opacity}, for reports. */
  static BufferedImage withHeatmap(Radiograph radiograph, GradingTask task, BufferedImage heatmap, float opacity) {
    BufferedImage grey = render(radiograph, task);
    BufferedImage rgb = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(grey, 0, 0, null);
      if (heatmap != null) {
        g.setComposite(java.awt.AlphaComposite.getInstance(java.awt.AlphaComposite.SRC_OVER, opacity));
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(heatmap, 0, 0, grey.getWidth(), grey.getHeight(), null);
      }
    } finally {
      g.dispose();
    }
    return rgb;
  }

  static BufferedImage render(Radiograph radiograph, GradingTask task) {
    int size = Math.max(task.inputSize(), Math.min(MAX_SIZE, Math.min(radiograph.width(), radiograph.height())));
    Plane plane = new SquareResize(size).apply(IntensityWindow.standard().apply(radiograph), null);
    BufferedImage image = new BufferedImage(plane.width(), plane.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] bytes = plane.toBytes();
    image.getRaster().setDataElements(0, 0, plane.width(), plane.height(), bytes);
    return image;
  }
}
