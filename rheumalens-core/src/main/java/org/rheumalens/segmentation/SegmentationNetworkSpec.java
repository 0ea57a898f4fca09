package org.rheumalens.segmentation;

/**
 * The architecture of a segmentation network, stored in its card so that the block can be rebuilt in code (DJL
 * .params files hold weights only).
 *
 * @param family "unet": a U-Net (Ronneberger et al. 2015) with batch normalisation after every convolution
 * @param inputChannels 1 for grey images
 * @param classes output classes per pixel, background included
 * @param baseWidth filters at full resolution; each level down doubles them
 * @param depth how many times the encoder halves the resolution; inputs must be a multiple of 2^depth on each side
 */
public record SegmentationNetworkSpec(String family, int inputChannels, int classes, int baseWidth, int depth) {

  public static final String UNET = "unet";

  public SegmentationNetworkSpec {
    if (!UNET.equals(family)) {
      throw new IllegalArgumentException("unknown segmentation network family " + family + " (known: " + UNET + ")");
    }
    if (inputChannels != 1) {
      throw new IllegalArgumentException("segmentation networks take grey images (1 channel), not " + inputChannels);
    }
    if (classes < 2 || baseWidth < 1 || depth < 1 || depth > 6) {
      throw new IllegalArgumentException("a U-Net needs at least 2 classes, a positive base width and a depth of 1 to 6,"
          + " not " + classes + " classes, width " + baseWidth + ", depth " + depth);
    }
  }

  /** A grey-image U-Net with {@code classes} outputs. */
  public static SegmentationNetworkSpec unet(int classes, int baseWidth, int depth) {
    return new SegmentationNetworkSpec(UNET, 1, classes, baseWidth, depth);
  }

  /** Filters at {@code level} (0: full resolution, depth: the bottleneck). */
  public int widthAt(int level) {
    return baseWidth << level;
  }

  /** Input sides must be a multiple of this. */
  public int sizeMultiple() {
    return 1 << depth;
  }

  /** Refuses an input side the encoder cannot halve {@code depth} times. */
  public void checkInputSize(int width, int height) {
    if (width != height || width % sizeMultiple() != 0) {
      throw new IllegalArgumentException("this U-Net (depth " + depth + ") takes square images whose side is a multiple of "
          + sizeMultiple() + "; got " + width + "x" + height + " (resize or pad the images first)");
    }
  }
}
