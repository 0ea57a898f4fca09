package org.rheumalens.oversight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Limits below which an image is of poor quality for this model, set from the val images' own distribution (a low
 * percentile of each measure), so "poor" means "worse than nearly everything the model was checked on".
 *
 * @param percentile the val percentile the lower limits were taken at
 * @param minContrast lowest acceptable intensity spread
 * @param minLevels fewest acceptable grey levels
 * @param minSharpness lowest acceptable mean Laplacian
 * @param maxUpscale largest acceptable enlargement of the source to model size
 */
public record QualityThresholds(double percentile, double minContrast, int minLevels, double minSharpness, double maxUpscale) {

  /** Enlarging a source more than this invents detail the grade would depend on. */
  public static final double MAX_UPSCALE = 2.0;

  public static QualityThresholds fit(List<ImageQuality> val, double percentile) {
    return new QualityThresholds(percentile,
        quantile(val, ImageQuality::contrast, percentile),
        (int) Math.floor(quantile(val, ImageQuality::levels, percentile)),
        quantile(val, ImageQuality::sharpness, percentile),
        Math.max(MAX_UPSCALE, quantile(val, ImageQuality::upscale, 1 - percentile)));
  }

  /** Each way the image falls short, in words a reader understands; empty when it is fine. */
  public List<String> problems(ImageQuality q) {
    List<String> out = new ArrayList<>();
    if (q.contrast() < minContrast) {
      out.add(String.format(Locale.ROOT, "low contrast (spread %.3f < %.3f)", q.contrast(), minContrast));
    }
    if (q.levels() < minLevels) {
      out.add(String.format(Locale.ROOT, "few grey levels (%d < %d)", q.levels(), minLevels));
    }
    if (q.sharpness() < minSharpness) {
      out.add(String.format(Locale.ROOT, "blurred (sharpness %.4f < %.4f)", q.sharpness(), minSharpness));
    }
    if (q.upscale() > maxUpscale) {
      out.add(String.format(Locale.ROOT, "too small (enlarged %.1fx > %.1fx)", q.upscale(), maxUpscale));
    }
    return out;
  }

  private static double quantile(List<ImageQuality> qs, ToDoubleFunction<ImageQuality> measure, double p) {
    double[] v = qs.stream().mapToDouble(measure).sorted().toArray();
    return Quantiles.of(v, p);
  }
}
