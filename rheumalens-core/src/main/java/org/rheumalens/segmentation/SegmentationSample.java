package org.rheumalens.segmentation;

import java.util.Objects;
import org.rheumalens.preprocess.Plane;

/**
 * An image with its true label mask, for training or evaluating a segmentation network.
 *
 * @param image the grey image, intensities in [0, 1]
 * @param mask class indices per pixel, the image's size; 0 is the background
 * @param spacing the physical pixel size, or null where unknown (distances and areas are then in pixels only)
 */
public record SegmentationSample(Plane image, LabelMask mask, PixelSpacing spacing) {

  public SegmentationSample {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    if (image.width() != mask.width() || image.height() != mask.height()) {
      throw new IllegalArgumentException("image is " + image.width() + "x" + image.height() + " but its mask "
          + mask.width() + "x" + mask.height());
    }
  }

  /** A sample without a known pixel spacing. */
  public SegmentationSample(Plane image, LabelMask mask) {
    this(image, mask, null);
  }

  public int width() {
    return image.width();
  }

  public int height() {
    return image.height();
  }
}
