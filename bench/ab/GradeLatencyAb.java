import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;

/**
 * One-image grading latency (median of RUNS warm calls) of whichever RheumaLens jar is on the class path; run.sh
 * alternates two jars (or two model folders) so that changes are compared as ratios within one sitting on a noisy
 * machine. IMAGE_DIR is walked (a folder of grade sub-folders gives every grade), 50 images spread over it.
 * Usage: java -cp rheumalens.jar GradeLatencyAb.java IMAGE_DIR [RUNS] [MODEL_DIR]
 */
public class GradeLatencyAb {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      List<Path> all = s.filter(f -> f.toString().endsWith(".png")).sorted().toList();
      int step = Math.max(1, all.size() / 50);
      files = java.util.stream.IntStream.range(0, Math.min(50, all.size())).mapToObj(i -> all.get(i * step)).toList();
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path model = args.length > 2 ? Path.of(args[2]) : ModelLocation.bundled("knee-kl");
    try (Grader grader = Grader.open(model)) {
      for (int i = 0; i < 20; i++) {
        grader.grade(files.get(i % files.size()));
      }
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        grader.grade(files.get(i % files.size()));
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("grade_ms_median %.2f p90 %.2f%n", ms[runs / 2], ms[runs * 9 / 10]);
    }
  }
}
