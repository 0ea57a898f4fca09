package org.rheumalens.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.oversight.ImageQuality;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;

/**
 * Labelled images decoded and brought to model size once, kept as 8-bit planes (5,778 knee crops take 290 MB), so
 * each epoch only augments and normalises.
 */
public final class PreparedImages {

  private final List<LabelledImage> images;
  private final byte[][] planes;
  private final int size;
  private final List<ImageQuality> quality;
  private final List<String> failures;

  private PreparedImages(List<LabelledImage> images, byte[][] planes, int size, List<ImageQuality> quality,
      List<String> failures) {
    this.images = images;
    this.planes = planes;
    this.size = size;
    this.quality = quality;
    this.failures = failures;
  }

  /** Decodes every image in parallel; unreadable files are dropped and reported in {@link #failures()}. */
  public static PreparedImages load(GradingTask task, List<LabelledImage> images) {
    RadiographReader reader = RadiographReader.standard(task.colourHandling());
    byte[][] planes = new byte[images.size()][];
    String[] errors = new String[images.size()];
    ImageQuality[] quality = new ImageQuality[images.size()];
    IntStream.range(0, images.size())
        .parallel()
        .forEach(
            i -> {
              try {
                Radiograph radiograph = reader.read(images.get(i).file());
                Plane geometry = task.prepareGeometry(radiograph);
                quality[i] = ImageQuality.measure(geometry, radiograph.width(), radiograph.height());
                planes[i] = geometry.toBytes();
              } catch (ImageReadException e) {
                errors[i] = e.getMessage();
              }
            });
    List<LabelledImage> kept = new ArrayList<>();
    List<byte[]> keptPlanes = new ArrayList<>();
    List<ImageQuality> keptQuality = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (planes[i] != null) {
        kept.add(images.get(i));
        keptPlanes.add(planes[i]);
        keptQuality.add(quality[i]);
      } else {
        failures.add(errors[i]);
      }
    }
    return new PreparedImages(List.copyOf(kept), keptPlanes.toArray(byte[][]::new), task.inputSize(),
        List.copyOf(keptQuality), List.copyOf(failures));
  }

  public int count() {
    return planes.length;
  }

  public int grade(int index) {
    return images.get(index).grade();
  }

  /** Labels of the task's secondary outputs for image {@code index} (null when it has none). */
  public float[] secondary(int index) {
    return images.get(index).secondary();
  }

  public Plane plane(int index) {
    return Plane.fromBytes(size, size, planes[index]);
  }

  /** Image-quality measures of image {@code index}, taken on its windowed, model-sized plane. */
  public ImageQuality quality(int index) {
    return quality.get(index);
  }

  public List<ImageQuality> qualities() {
    return quality;
  }

  /** Model inputs (normalised, no augmentation) for every image. */
  public List<Plane> inputs(Pipeline normalisation) {
    return inputs(normalisation, 0, count());
  }

  /**
   * Model inputs of images {@code from} (inclusive) to {@code to} (exclusive): callers that run a network over the
   * whole training set take it in slices, so only one slice of float planes is held at a time.
   */
  public List<Plane> inputs(Pipeline normalisation, int from, int to) {
    List<Plane> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(normalisation.apply(plane(i), null));
    }
    return out;
  }

  public List<String> failures() {
    return failures;
  }

  public int[] grades() {
    return images.stream().mapToInt(LabelledImage::grade).toArray();
  }
}
