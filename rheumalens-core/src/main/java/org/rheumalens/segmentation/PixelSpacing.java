package org.rheumalens.segmentation;

/**
 * The physical size of a pixel, so that distances and areas can be given in millimetres.
 *
 * @param columnMm distance between the centres of horizontally neighbouring pixels (along x)
 * @param rowMm distance between the centres of vertically neighbouring pixels (along y); DICOM's PixelSpacing lists
 *     this one first
 */
public record PixelSpacing(double columnMm, double rowMm) {

  public PixelSpacing {
    if (!(columnMm > 0) || !(rowMm > 0) || Double.isInfinite(columnMm) || Double.isInfinite(rowMm)) {
      throw new IllegalArgumentException("pixel spacing must be positive and finite, not " + columnMm + " x " + rowMm + " mm");
    }
  }

  public static PixelSpacing isotropic(double mm) {
    return new PixelSpacing(mm, mm);
  }

  public double pixelAreaMm2() {
    return columnMm * rowMm;
  }
}
