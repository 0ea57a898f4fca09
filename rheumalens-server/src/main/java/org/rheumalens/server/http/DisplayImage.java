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
    int size = Math.max(task.inputSize(), Math.min(MAX_SIZE, Math.min(radiograph.width(), radiograph.height())));
    Plane plane = new SquareResize(size).apply(IntensityWindow.standard().apply(radiograph), null);
    BufferedImage image = new BufferedImage(plane.width(), plane.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] bytes = plane.toBytes();
    image.getRaster().setDataElements(0, 0, plane.width(), plane.height(), bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
