import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.measure.JointSpaceMeter.Side;
import org.rheumalens.ml.Grader;
import org.rheumalens.preprocess.GaussianBlur;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.robustness.ArchiveCopy;
import org.rheumalens.robustness.ImageStatistics;

/**
 * Which way candidate raw looks move a model's grades, against the owners' real raw copies (REAL-RAW.md: the model
 * bundled before issue 19 agreed in 79.6%, graded the raw copy higher in 16.1% of pairs and lower in 4.4%).
 *
 * <p>Usage: java -cp rheumalens.jar RawDirection.java VAL_DIR MODEL_DIR EVERY. Each candidate is made from the 8-bit
 * val crop in memory, graded through Grader.analyse (the product path after decoding) and compared with the crop's own
 * grade; the candidates' median image statistics are printed beside the real copies' (mean 156, sd 35, p1 61, p99
 * 220, local contrast 9.5, gradient 5.9).
 */
public final class RawDirection {

  private static final int W = 224;

  public static void main(String[] args) throws Exception {
    Path val = Path.of(args[0]);
    Path model = Path.of(args[1]);
    int every = Integer.parseInt(args[2]);
    Map<String, UnaryOperator<float[]>> looks = new LinkedHashMap<>();
    looks.put("fitted raw look (detail 0.5)", s -> rawLook(s, 0.5));
    looks.put("grey levels only (mean, sd)", s -> tone(s));
    looks.put("blur 0.6 px + grey levels", s -> tone(blur(s, 0.6)));
    looks.put("blur 1.0 px + grey levels", s -> tone(blur(s, 1.0)));
    looks.put("blur 0.7 px + raw look 0.6", s -> rawLook(blur(s, 0.7), 0.6));
    looks.put("blur 1.0 px + raw look 0.7", s -> rawLook(blur(s, 1.0), 0.7));
    looks.put("blur 1.0 + raw look 0.7 + noise 2", s -> noise(rawLook(blur(s, 1.0), 0.7), 2));
    List<Path> files = new ArrayList<>();
    for (int grade = 0; grade < 5; grade++) {
      try (var listing = Files.list(val.resolve(Integer.toString(grade)))) {
        listing.sorted().forEach(files::add);
      }
    }
    Map<String, int[]> tallies = new LinkedHashMap<>();
    Map<String, List<ImageStatistics>> statistics = new LinkedHashMap<>();
    looks.keySet().forEach(k -> {
      tallies.put(k, new int[3]);
      statistics.put(k, new ArrayList<>());
    });
    RadiographReader reader = RadiographReader.standard();
    try (Grader grader = Grader.open(model)) {
      for (int i = 0; i < files.size(); i += every) {
        Radiograph original = reader.read(files.get(i));
        if (original.width() != W || original.height() != W || original.bitsStored() != 8) {
          throw new IllegalArgumentException(files.get(i) + ": expected an 8-bit " + W + "x" + W + " crop");
        }
        Integer before = grader.analyse("original", original, Side.UNKNOWN, false, Grader.GRADED).result().grade();
        if (before == null) {
          continue;
        }
        for (var look : looks.entrySet()) {
          float[] values = look.getValue().apply(original.values().clone());
          float[] unit = new float[values.length];
          for (int p = 0; p < values.length; p++) {
            values[p] = clip(values[p]);
            unit[p] = values[p] / 255f;
          }
          statistics.get(look.getKey()).add(ImageStatistics.of(unit, W, W));
          Radiograph copy = new Radiograph("copy", original.format(), W, W, values, 8, false, Optional.empty(),
              Optional.empty(), original.modality());
          Integer after = grader.analyse("copy", copy, Side.UNKNOWN, false, Grader.GRADED).result().grade();
          if (after != null) {
            int[] t = tallies.get(look.getKey());
            t[0]++;
            t[1] += after > before ? 1 : 0;
            t[2] += after < before ? 1 : 0;
          }
        }
      }
    }
    System.out.printf("model %s, every %d-th val crop%n", model, every);
    System.out.printf("%-36s %4s %7s %7s %7s | %5s %4s %4s %4s %5s %5s%n", "candidate raw look", "n", "agree", "higher",
        "lower", "mean", "sd", "p1", "p99", "local", "grad");
    System.out.printf("%-36s %4d %7.3f %7.3f %7.3f | %5.0f %4.0f %4.0f %4.0f %5.1f %5.1f%n", "(real raw copies, bundled before)",
        758, 0.796, 122 / 758.0, 33 / 758.0, 156.0, 35.0, 61.0, 220.0, 9.5, 5.9);
    for (String k : looks.keySet()) {
      int[] t = tallies.get(k);
      ImageStatistics m = ImageStatistics.median(statistics.get(k));
      System.out.printf("%-36s %4d %7.3f %7.3f %7.3f | %5.0f %4.0f %4.0f %4.0f %5.1f %5.1f%n", k, t[0],
          1 - (t[1] + t[2]) / (double) t[0], t[1] / (double) t[0], t[2] / (double) t[0], m.mean(), m.sd(), m.p1(),
          m.p99(), m.localContrast(), m.gradient());
    }
  }

  /** The mean and spread of the real raw copies, by a linear change of grey levels. */
  static float[] tone(float[] s) {
    double mean = 0;
    for (float x : s) {
      mean += x;
    }
    mean /= s.length;
    double squares = 0;
    for (float x : s) {
      squares += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(squares / s.length);
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (float) (156 + (s[i] - mean) * 35 / sd);
    }
    return out;
  }

  /** ArchiveCopy's fitted raw look at its central strength, without noise, with detail x{@code detail}. */
  static float[] rawLook(float[] s, double detail) {
    float[] unit = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      unit[i] = s[i] / 255f;
    }
    float[] look = ArchiveCopy.rawLook(new Plane(W, W, unit), detail, 0.85, 156 / 255.0, 0, null).data();
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = look[i] * 255;
    }
    return out;
  }

  static float[] blur(float[] s, double sigma) {
    return GaussianBlur.blur(s, W, W, sigma, sigma);
  }

  /** Gaussian noise of {@code sd} grey levels, seeded by the image so every model sees the same copy. */
  static float[] noise(float[] s, double sd) {
    Random random = new Random(java.util.Arrays.hashCode(s));
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (float) (s[i] + sd * random.nextGaussian());
    }
    return out;
  }

  static float clip(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }
}
