package org.rheumalens.segmentation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;

/**
 * A segmentation model folder opened for use: the network, the task it was trained for (which says how an image is
 * brought to the model grid) and the review limit fitted on val. Outlines one image at a time with its sizes and
 * whether a reader must check it; the command line and the review server both segment through it.
 */
public final class Segmenter implements AutoCloseable {

  /**
   * One image's segmentation.
   *
   * @param plane the image on the model grid (what the mask covers)
   * @param result the network's answer
   * @param spacing the pixel spacing on the model grid; null when the file stated none
   * @param sizes each structure's area and maximal width, keyed by class name
   * @param reviewReasons why a reader must check it; empty when it may be accepted as is
   */
  public record Segmentation(Plane plane, SegmentationResult result, PixelSpacing spacing,
      Map<String, StructureSize> sizes, List<String> reviewReasons) {

    public boolean needsReview() {
      return !reviewReasons.isEmpty();
    }
  }

  private final GradingTask task;
  private final SegmentationModel model;
  private final ManifestSegmentation.ReviewLimit limit;

  private Segmenter(GradingTask task, SegmentationModel model, ManifestSegmentation.ReviewLimit limit) {
    this.task = task;
    this.model = model;
    this.limit = limit;
  }

  /** Opens the segmentation model in {@code dir} (see {@link ManifestSegmentation#isSegmentationModel}). */
  public static Segmenter open(Path dir) throws IOException {
    GradingTask task = ManifestSegmentation.task(dir);
    ManifestSegmentation.ReviewLimit limit = ManifestSegmentation.reviewLimit(dir);
    return new Segmenter(task, SegmentationModel.load(dir), limit);
  }

  public GradingTask task() {
    return task;
  }

  public SegmentationCard card() {
    return model.card();
  }

  /** How this task reads its inputs (grey, or colour exports as grey). */
  public ColourHandling colourHandling() {
    return task.colourHandling();
  }

  /** Outlines {@code image}: through the task's geometry, the network, the sizes and the review limit. */
  public Segmentation segment(Radiograph image) {
    Plane plane = task.prepareGeometry(image);
    SegmentationResult result = model.predict(plane);
    PixelSpacing spacing = ManifestSegmentation.spacing(image, task);
    // A model from before the review limit was fitted cannot tell a sure outline from an unsure one.
    List<String> reasons = limit == null ? List.of("uncalibrated") : limit.reasons(result);
    return new Segmentation(plane, result, spacing, result.sizes(spacing), reasons);
  }

  @Override
  public void close() {
    model.close();
  }
}
