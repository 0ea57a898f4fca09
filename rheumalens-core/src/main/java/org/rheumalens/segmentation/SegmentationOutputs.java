package org.rheumalens.segmentation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import javax.imageio.ImageIO;
import org.rheumalens.io.NpyFile;
import org.rheumalens.preprocess.Plane;

/**
 * Writes one image's segmentation as files, each atomically: {@code <stem>-overlay.png} (mask over the image with a
 * legend), {@code <stem>-mask.png} (8-bit grey, pixel value = class index), {@code <stem>-uncertainty.png} and
 * {@code <stem>-uncertainty.npy} (normalised entropy, H x W float32) and {@code <stem>-probabilities.npy}
 * (classes x H x W float32).
 */
public final class SegmentationOutputs {

  /** The files written. */
  public record Written(Path overlayPng, Path maskPng, Path uncertaintyPng, Path uncertaintyNpy, Path probabilitiesNpy) {}

  private SegmentationOutputs() {}

  /** Writes the five files for {@code result} of {@code image} into {@code dir}; {@code spacing} may be null. */
  public static Written write(Path dir, String stem, Plane image, SegmentationResult result, PixelSpacing spacing)
      throws IOException {
    Files.createDirectories(dir);
    LabelMask mask = result.mask();
    int w = mask.width();
    int h = mask.height();
    Map<String, StructureSize> sizes = result.sizes(spacing);
    Written files = new Written(dir.resolve(stem + "-overlay.png"), dir.resolve(stem + "-mask.png"),
        dir.resolve(stem + "-uncertainty.png"), dir.resolve(stem + "-uncertainty.npy"),
        dir.resolve(stem + "-probabilities.npy"));
    writePng(files.overlayPng(), SegmentationOverlay.render(image, mask, result.classes(), sizes, stem));
    writePng(files.maskPng(), maskImage(mask));
    writePng(files.uncertaintyPng(), SegmentationOverlay.renderUncertainty(image, result.entropy(),
        String.format(java.util.Locale.ROOT, "%s: uncertainty (structure mean %.3f)", stem, result.meanStructureEntropy())));
    NpyFile.write(files.uncertaintyNpy(), new int[] {h, w}, result.entropy());
    NpyFile.write(files.probabilitiesNpy(), new int[] {result.classes().size(), h, w}, result.probabilities());
    return files;
  }

  private static BufferedImage maskImage(LabelMask mask) {
    BufferedImage out = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    out.getRaster().setDataElements(0, 0, mask.width(), mask.height(), mask.labels().clone());
    return out;
  }

  private static void writePng(Path file, BufferedImage image) throws IOException {
    Path staging = file.resolveSibling(file.getFileName() + ".tmp");
    if (!ImageIO.write(image, "png", staging.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
    Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
