import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;

/**
 * One-image grading latency (median of RUNS warm calls) of whichever RheumaLens jar is on the class path; run.sh
 * alternates two jars so that code changes are compared as ratios within one sitting on a noisy machine.
 * Usage: java -cp rheumalens.jar GradeLatencyAb.java IMAGE_DIR [RUNS]
 */
public class GradeLatencyAb {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.filter(f -> f.toString().endsWith(".png")).sorted().limit(50).toList();
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    try (Grader grader = Grader.open(ModelLocation.bundled("knee-kl"))) {
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
