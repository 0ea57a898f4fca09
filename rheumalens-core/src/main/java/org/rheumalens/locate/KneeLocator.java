package org.rheumalens.locate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.preprocess.Plane;

/**
 * Finds knee joints in a whole radiograph by multi-scale template matching against the {@link KneeTemplate}, coarse
 * to fine. Coarse: for each candidate knee size (6% steps from a fifth of the image's short side up to all of it) the
 * image is shrunk so that a knee would be half the template's size, locally contrast-normalised and matched by
 * normalised cross-correlation; the best separated peaks become candidates. Fine: around each candidate, sizes within
 * ±25% in 2% steps are matched at the template's full size on a local crop, with sub-pixel peak positions; the best
 * is the first knee. The second knee is searched for in a band at the first one's height and size, and kept when it
 * matches nearly as well. Where the model has a {@link KneeBoxRegressor}, it then corrects each box (template
 * matching is precise in position but loose in size). In a bilateral PA radiograph the knee on the image's left is the
 * patient's right.
 */
public final class KneeLocator {

  /** A knee found: its box in source pixels, the match score (correlation, at most 1) and its side if it follows. */
  public record LocatedKnee(KneeBox box, double score, Side side) {}

  private static final double COARSE_STEP = 1.06;
  private static final double SMALLEST_KNEE = 0.2;
  private static final int CANDIDATES = 6;
  private static final double FINE_RANGE = 0.25;
  private static final double FINE_STEP = 1.02;
  private static final double MIN_SCORE = 0.30;
  /** A second knee must match at least this share of the first one's score. */
  private static final double SECOND_KNEE_SHARE = 0.6;
  private static final double PARTNER_RANGE = 0.10;

  /** Most correction passes of the box regressor on each knee found (it stops early once the box settles). */
  private static final int REGRESSOR_PASSES = 5;

  private final KneeTemplate template;
  private final KneeTemplate coarseTemplate;
  private final KneeBoxRegressor regressor;

  /** Template matching alone. */
  public KneeLocator(KneeTemplate template) {
    this(template, null);
  }

  /** Template matching, each box then corrected by {@code regressor} (null: none; the caller owns and closes it). */
  public KneeLocator(KneeTemplate template, KneeBoxRegressor regressor) {
    this.template = template;
    this.regressor = regressor;
    int half = template.size() / 2;
    this.coarseTemplate = new KneeTemplate(half,
        Resampling.area(new Plane(template.size(), template.size(), template.values()), half, half).data());
  }

  /**
   * A second opinion on boxes of the film being searched, from the grading model: how far each box, cut out as a knee
   * crop, lies from the knees the model learnt from. Template matching alone scores the edge of a leg or the gap
   * between two legs at half a knee's size about as high as a knee; the grading model's feature density tells them
   * apart by an order of magnitude.
   */
  @FunctionalInterface
  public interface KneeVerifier {

    /** Whether the box, cut out as a knee crop, looks like a knee. */
    boolean accepts(KneeBox box);
  }

  /** Knees in {@code image} (intensities windowed to [0, 1]), the image-left one first; empty when none matches. */
  public List<LocatedKnee> locate(Plane image) {
    return locate(image, null);
  }

  /**
   * As {@link #locate(Plane)}, keeping only places {@code verifier} (null: none) takes for knees: the best-matching
   * verified candidate is the first knee and its partner must be verified too. Where the verifier takes none, the
   * best match stands (the grader's own out-of-distribution gate then refuses its crop).
   */
  public List<LocatedKnee> locate(Plane image, KneeVerifier verifier) {
    List<Peak> fine = new ArrayList<>();
    for (Peak candidate : coarsePeaks(image)) {
      Peak p = refine(image, candidate.box());
      if (p != null && p.score() >= MIN_SCORE) {
        fine.add(p);
      }
    }
    if (fine.isEmpty()) {
      return List.of();
    }
    fine.sort(Comparator.comparingDouble(Peak::score).reversed());
    Peak first = fine.get(0);
    if (verifier != null) {
      // Best match first, one at a time: the best usually passes, so verifying costs one forward pass.
      for (Peak p : fine) {
        if (verifier.accepts(p.box())) {
          first = p;
          break;
        }
      }
    }
    first = corrected(image, first);
    List<LocatedKnee> knees = new ArrayList<>();
    knees.add(new LocatedKnee(first.box(), first.score(), Side.UNKNOWN));
    Peak second = partner(image, first);
    if (second != null && second.score() >= SECOND_KNEE_SHARE * first.score()
        && (verifier == null || verifier.accepts(second.box()))) {
      knees.add(new LocatedKnee(corrected(image, second).box(), second.score(), Side.UNKNOWN));
    }
    knees.sort(Comparator.comparingDouble(k -> k.box().centreX()));
    if (knees.size() == 2) {
      // PA convention: the patient faces the viewer, so the patient's right knee is on the image's left.
      knees.set(0, new LocatedKnee(knees.get(0).box(), knees.get(0).score(), Side.RIGHT));
      knees.set(1, new LocatedKnee(knees.get(1).box(), knees.get(1).score(), Side.LEFT));
    }
    return knees;
  }

  /**
   * The other knee of a bilateral film: searched across the whole width in a band at the first knee's height, at
   * sizes within ±10% of it (both knees of one standing film are about equally large and level), away from the first.
   */
  private Peak partner(Plane image, Peak first) {
    KneeBox knee = first.box();
    Peak best = null;
    for (double scale = 1 - PARTNER_RANGE; scale <= 1 + PARTNER_RANGE + 1e-9; scale *= FINE_STEP) {
      double kneeSize = knee.size() * scale;
      int y0 = (int) Math.max(0, Math.floor(knee.centreY() - 0.8 * kneeSize));
      int y1 = (int) Math.min(image.height(), Math.ceil(knee.centreY() + 0.8 * kneeSize));
      Peak p = bestIn(image, 0, y0, image.width(), y1, kneeSize, box -> !overlapsCentre(box, knee) && box.iou(knee) < 0.05);
      if (p != null && (best == null || p.score() > best.score())) {
        best = p;
      }
    }
    return best;
  }

  private record Peak(double score, KneeBox box) {}

  /** The peak's box after the regressor's corrections, where there is a regressor; the match score stays. */
  private Peak corrected(Plane image, Peak peak) {
    return regressor == null ? peak : new Peak(peak.score(), regressor.refine(image, peak.box(), REGRESSOR_PASSES));
  }

  /** The best-scoring separated peaks over all coarse sizes. */
  private List<Peak> coarsePeaks(Plane image) {
    int t = coarseTemplate.size();
    int shortSide = Math.min(image.width(), image.height());
    List<Peak> peaks = new ArrayList<>();
    for (double kneeSize = shortSide * SMALLEST_KNEE; kneeSize <= shortSide; kneeSize *= COARSE_STEP) {
      double f = t / kneeSize;
      int w = (int) Math.round(image.width() * f);
      int h = (int) Math.round(image.height() * f);
      if (w < t || h < t) {
        continue;
      }
      Plane small = LocalContrast.normalise(Resampling.area(image, w, h), t);
      float[] scores = correlation(small, coarseTemplate);
      int cols = w - t + 1;
      int rows = h - t + 1;
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
          float v = scores[y * cols + x];
          if (v >= MIN_SCORE && isLocalMaximum(scores, cols, rows, x, y)) {
            peaks.add(new Peak(v, new KneeBox(x / f, y / f, kneeSize)));
          }
        }
      }
    }
    peaks.sort(Comparator.comparingDouble(Peak::score).reversed());
    List<Peak> candidates = new ArrayList<>();
    for (Peak p : peaks) {
      if (candidates.size() == CANDIDATES) {
        break;
      }
      // Candidates are distinct places: none has its centre inside another's box.
      if (candidates.stream().noneMatch(c -> overlapsCentre(c.box(), p.box()))) {
        candidates.add(p);
      }
    }
    return candidates;
  }

  /** The best match at full template size for sizes within ±25% of {@code around}, searched near its position. */
  private Peak refine(Plane image, KneeBox around) {
    Peak best = null;
    for (double scale = 1 - FINE_RANGE; scale <= 1 + FINE_RANGE + 1e-9; scale *= FINE_STEP) {
      Peak p = matchAt(image, around, around.size() * scale);
      if (p != null && (best == null || p.score() > best.score())) {
        best = p;
      }
    }
    return best;
  }

  /**
   * The best match of a knee of {@code kneeSize} whose box centre lies within a quarter knee of {@code around}'s
   * centre (on a local crop, sub-pixel).
   */
  private Peak matchAt(Plane image, KneeBox around, double kneeSize) {
    double half = 0.75 * kneeSize;
    int x0 = (int) Math.max(0, Math.floor(around.centreX() - half));
    int y0 = (int) Math.max(0, Math.floor(around.centreY() - half));
    int x1 = (int) Math.min(image.width(), Math.ceil(around.centreX() + half));
    int y1 = (int) Math.min(image.height(), Math.ceil(around.centreY() + half));
    return bestIn(image, x0, y0, x1, y1, kneeSize, box -> true);
  }

  /**
   * The best-scoring local maximum (sub-pixel) for a knee of {@code kneeSize} inside the region [x0, x1) x [y0, y1)
   * of {@code image}, among boxes {@code allowed} accepts; null when the region is smaller than a knee.
   */
  private Peak bestIn(Plane image, int x0, int y0, int x1, int y1, double kneeSize,
      java.util.function.Predicate<KneeBox> allowed) {
    int t = template.size();
    double f = t / kneeSize;
    int w = (int) Math.round((x1 - x0) * f);
    int h = (int) Math.round((y1 - y0) * f);
    if (w < t || h < t) {
      return null;
    }
    double fx = (double) w / (x1 - x0);
    double fy = (double) h / (y1 - y0);
    Plane local = LocalContrast.normalise(Resampling.area(crop(image, x0, y0, x1, y1), w, h), t);
    float[] scores = correlation(local, template);
    int cols = w - t + 1;
    int rows = h - t + 1;
    Peak best = null;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        float v = scores[y * cols + x];
        if ((best == null || v > best.score()) && isLocalMaximum(scores, cols, rows, x, y)) {
          double dx = subPixel(scores, cols, rows, x, y, 1, 0);
          double dy = subPixel(scores, cols, rows, x, y, 0, 1);
          KneeBox box = new KneeBox(x0 + (x + dx) / fx, y0 + (y + dy) / fy, kneeSize);
          if (allowed.test(box)) {
            best = new Peak(v, box);
          }
        }
      }
    }
    return best;
  }

  private static Plane crop(Plane image, int x0, int y0, int x1, int y1) {
    int w = x1 - x0;
    float[] out = new float[w * (y1 - y0)];
    for (int y = y0; y < y1; y++) {
      System.arraycopy(image.data(), y * image.width() + x0, out, (y - y0) * w, w);
    }
    return new Plane(w, y1 - y0, out);
  }

  private static boolean overlapsCentre(KneeBox a, KneeBox b) {
    return Math.abs(a.centreX() - b.centreX()) < Math.max(a.size(), b.size()) / 2
        && Math.abs(a.centreY() - b.centreY()) < Math.max(a.size(), b.size()) / 2;
  }

  /** Normalised cross-correlation of the template at every position where it fits inside {@code image}. */
  static float[] correlation(Plane image, KneeTemplate template) {
    int t = template.size();
    int w = image.width();
    int h = image.height();
    float[] tv = template.values();
    double tMean = 0;
    for (float v : tv) {
      tMean += v;
    }
    tMean /= tv.length;
    float[] tz = new float[tv.length];
    double tNorm = 0;
    for (int i = 0; i < tv.length; i++) {
      tz[i] = (float) (tv[i] - tMean);
      tNorm += tz[i] * tz[i];
    }
    tNorm = Math.sqrt(tNorm);
    // Integral images of the values and their squares give each window's mean and spread in constant time.
    double[] sum = new double[(w + 1) * (h + 1)];
    double[] sumSq = new double[(w + 1) * (h + 1)];
    float[] d = image.data();
    for (int y = 0; y < h; y++) {
      double row = 0;
      double rowSq = 0;
      for (int x = 0; x < w; x++) {
        double v = d[y * w + x];
        row += v;
        rowSq += v * v;
        sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        sumSq[(y + 1) * (w + 1) + x + 1] = sumSq[y * (w + 1) + x + 1] + rowSq;
      }
    }
    int cols = w - t + 1;
    int rows = h - t + 1;
    float[] out = new float[cols * rows];
    int n = t * t;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        double cross = 0;
        for (int j = 0; j < t; j++) {
          int base = (y + j) * w + x;
          int tb = j * t;
          for (int i = 0; i < t; i++) {
            cross += d[base + i] * tz[tb + i];
          }
        }
        double s = window(sum, w, x, y, t);
        double sq = window(sumSq, w, x, y, t);
        double spread = Math.sqrt(Math.max(1e-12, sq - s * s / n));
        out[y * cols + x] = (float) (cross / (spread * tNorm));
      }
    }
    return out;
  }

  private static double window(double[] integral, int w, int x, int y, int t) {
    int stride = w + 1;
    return integral[(y + t) * stride + x + t] - integral[y * stride + x + t] - integral[(y + t) * stride + x]
        + integral[y * stride + x];
  }

  private static boolean isLocalMaximum(float[] s, int cols, int rows, int x, int y) {
    float v = s[y * cols + x];
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        if ((dx != 0 || dy != 0) && xx >= 0 && yy >= 0 && xx < cols && yy < rows && s[yy * cols + xx] > v) {
          return false;
        }
      }
    }
    return true;
  }

  private static double subPixel(float[] s, int cols, int rows, int x, int y, int dx, int dy) {
    int x0 = x - dx;
    int y0 = y - dy;
    int x1 = x + dx;
    int y1 = y + dy;
    if (x0 < 0 || y0 < 0 || x1 >= cols || y1 >= rows) {
      return 0;
    }
    double a = s[y0 * cols + x0];
    double b = s[y * cols + x];
    double c = s[y1 * cols + x1];
    double denominator = a - 2 * b + c;
    return denominator >= 0 ? 0 : Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / denominator));
  }
}
