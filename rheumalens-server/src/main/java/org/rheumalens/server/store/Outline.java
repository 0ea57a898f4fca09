package org.rheumalens.server.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.rheumalens.segmentation.StructureSize;

/**
 * What a segmentation model outlined on an image: the mask overlay picture and each structure's size.
 *
 * @param overlayPath the overlay PNG, relative to the image archive
 * @param structures each structure class's size, in class order (background left out)
 */
public record Outline(String overlayPath, List<Structure> structures) {

  /**
   * One structure's size; millimetre values are null when the image stated no pixel spacing.
   *
   * @param maxWidthPixels the diameter of the largest disc inside the structure, in model-grid pixels
   */
  public record Structure(String name, int pixels, Double areaMm2, double maxWidthPixels, Double maxWidthMm) {

    static Structure of(String name, StructureSize size) {
      return new Structure(name, size.pixels(), finite(size.areaMm2()), size.maxWidthPixels(), finite(size.maxWidthMm()));
    }

    /** "gland 41.2 mm², width 9.8 mm", or in model-grid pixels without a spacing. */
    public String describe() {
      return areaMm2 == null
          ? String.format(Locale.ROOT, "%s %d px, width %.0f px", name, pixels, maxWidthPixels)
          : String.format(Locale.ROOT, "%s %.1f mm², width %.1f mm", name, areaMm2, maxWidthMm);
    }

    /** "gland 41.2 mm²": the area alone, for a worklist row. */
    String area() {
      return areaMm2 == null ? String.format(Locale.ROOT, "%s %d px", name, pixels)
          : String.format(Locale.ROOT, "%s %.1f mm²", name, areaMm2);
    }
  }

  public Outline {
    structures = List.copyOf(structures);
  }

  /** The outline of sizes measured by a segmenter, in its class order. */
  public static Outline of(String overlayPath, Map<String, StructureSize> sizes) {
    return new Outline(overlayPath, sizes.entrySet().stream().map(e -> Structure.of(e.getKey(), e.getValue())).toList());
  }

  /** One line for a worklist row: each structure's area. */
  public String summary() {
    return structures.stream().map(Structure::area).collect(Collectors.joining(", "));
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
