package org.rheumalens.robustness;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.robustness.ArchiveCopy.Difference;

/**
 * How steady a grader's grades are across copies of the same knee: every labelled image is graded as it is and as
 * another archive's copy of it ({@link ArchiveCopy}), each copy written to a file and graded through the whole product
 * path, and the two grades compared. The copies of one image are drawn from a generator seeded by the study's seed and
 * the image's position, so a rerun (or another model) sees the very same copies.
 */
public final class SteadinessStudy {

  private SteadinessStudy() {
  }

  /**
   * What one kind of copy did to the grades. {@code marginMedian} and {@code flippedMarginMedian} are the medians of
   * the original grading's top-two probability margin over all images and over the images whose grade the copy
   * changed: a flipped image far below the median margin was a boundary case that any small change tips.
   */
  public record Outcome(int n, double agreement, int higher, int lower, double copyAccuracy, double meanAbsoluteChange,
                        double oodFlagged, double marginMedian, double flippedMarginMedian, List<Flip> flips) {
  }

  /** One image whose copy got another grade: its true grade, both grades and the original's top-two margin. */
  public record Flip(String file, int truth, int original, int copy, double margin) {
  }

  /** The study's results: the originals' accuracy, each difference's outcome, the raw look's statistics. */
  public record Report(String model, int n, double originalAccuracy, Map<String, Outcome> differences,
                       ImageStatistics rawLook, ImageStatistics realRaw, double seconds) {
  }

  public static Report run(Grader grader, String modelName, List<LabelledImage> images, List<Difference> differences,
                           long seed, Path workDir, PrintStream progress) throws IOException {
    long start = System.nanoTime();
    Map<Difference, Tally> tallies = new EnumMap<>(Difference.class);
    differences.forEach(d -> tallies.put(d, new Tally()));
    List<ImageStatistics> rawStatistics = new ArrayList<>();
    int originalCorrect = 0;
    for (int index = 0; index < images.size(); index++) {
      LabelledImage image = images.get(index);
      GradeResult original = grader.grade(image.file());
      if (!original.ok()) {
        throw new IOException("the original " + image.file() + " could not be graded: " + original.error());
      }
      originalCorrect += original.grade() == image.grade() ? 1 : 0;
      Plane enhanced = readGrey(image.file());
      String stem = stem(image.file());
      for (Difference difference : differences) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index * 31L + difference.ordinal());
        Path copy = ArchiveCopy.write(enhanced, difference, workDir.resolve(difference.name().toLowerCase()), stem, random);
        if (difference == Difference.RAW_LOOK) {
          Plane written = readGrey(copy);
          rawStatistics.add(ImageStatistics.of(written.data(), written.width(), written.height()));
        }
        GradeResult graded = grader.grade(copy);
        Files.deleteIfExists(copy);
        if (!graded.ok()) {
          throw new IOException(difference + " copy of " + image.file() + " could not be graded: " + graded.error());
        }
        tallies.get(difference).add(image.file().getFileName().toString(), original.grade(), graded.grade(),
            image.grade(), margin(original.probabilities()), graded.ood() != null && graded.ood().flagged());
      }
      if (progress != null && (index + 1) % 50 == 0) {
        progress.printf("%d/%d images%n", index + 1, images.size());
      }
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    tallies.forEach((d, t) -> outcomes.put(d.name().toLowerCase(), t.outcome()));
    return new Report(modelName, images.size(), originalCorrect / (double) Math.max(images.size(), 1), outcomes,
        rawStatistics.isEmpty() ? null : ImageStatistics.median(rawStatistics), ImageStatistics.REAL_RAW,
        (System.nanoTime() - start) / 1e9);
  }

  /** Reads an 8- or 16-bit grey image as values 0..1. */
  static Plane readGrey(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + " is not an image ImageIO reads");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] pixels = image.getRaster().getPixels(0, 0, w, h, (int[]) null);
    double max = (1 << image.getColorModel().getComponentSize(0)) - 1;
    int bands = image.getRaster().getNumBands();
    float[] values = new float[w * h];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (pixels[i * bands] / max);
    }
    return new Plane(w, h, values);
  }

  /** The gap between the two most probable grades. */
  static double margin(float[] probabilities) {
    float[] sorted = probabilities.clone();
    java.util.Arrays.sort(sorted);
    return sorted.length < 2 ? 1 : sorted[sorted.length - 1] - sorted[sorted.length - 2];
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static final class Tally {
    int n;
    int agree;
    int higher;
    int lower;
    int correct;
    int absoluteChange;
    int flagged;
    final List<Double> margins = new ArrayList<>();
    final List<Flip> flips = new ArrayList<>();

    void add(String file, int original, int copy, int truth, double margin, boolean oodFlagged) {
      n++;
      margins.add(margin);
      if (copy != original) {
        flips.add(new Flip(file, truth, original, copy, margin));
      }
      agree += copy == original ? 1 : 0;
      higher += copy > original ? 1 : 0;
      lower += copy < original ? 1 : 0;
      correct += copy == truth ? 1 : 0;
      absoluteChange += Math.abs(copy - original);
      flagged += oodFlagged ? 1 : 0;
    }

    Outcome outcome() {
      double d = Math.max(n, 1);
      return new Outcome(n, agree / d, higher, lower, correct / d, absoluteChange / d, flagged / d, median(margins),
          median(flips.stream().map(Flip::margin).toList()), List.copyOf(flips));
    }
  }
}
