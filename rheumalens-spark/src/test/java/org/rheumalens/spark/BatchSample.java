package org.rheumalens.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.rheumalens.io.CsvTable;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.testing.SharedData;

/** Shared val images (a few per grade), two bad files beside them, and the check that a batch graded as grade does. */
final class BatchSample {

  static final String TRUNCATED = "truncated.png";
  static final String NOT_AN_IMAGE = "notes.png";

  private BatchSample() {}

  /** The bundled knee model, as the launcher finds it. */
  static Path model() throws IOException {
    return ModelLocation.bundled("knee-kl");
  }

  /** The first {@code perGrade} val images of each grade (sorted, so every run scores the same ones). */
  static List<Path> valImages(int perGrade) throws IOException {
    Path val = SharedData.kneeKl().resolve("val");
    List<Path> images = new ArrayList<>();
    try (Stream<Path> grades = Files.list(val)) {
      for (Path grade : grades.sorted().toList()) {
        try (Stream<Path> files = Files.list(grade)) {
          files.sorted().limit(perGrade).map(f -> f.toAbsolutePath().normalize()).forEach(images::add);
        }
      }
    }
    return images;
  }

  /** A PNG cut off after its first 2,000 bytes, and a text file named .png, written into {@code folder}. */
  static List<Path> badFiles(Path folder, Path somePng) throws IOException {
    Path truncated = folder.resolve(TRUNCATED);
    byte[] png = Files.readAllBytes(somePng);
    Files.write(truncated, java.util.Arrays.copyOf(png, 2000));
    Path text = Files.writeString(folder.resolve(NOT_AN_IMAGE), "not a radiograph, just notes\n");
    return List.of(truncated, text);
  }

  /**
   * Every row agrees with {@code grade}'s own call on the same file in this JVM: grade, label, probabilities (1e-5),
   * confidence, review flags and reasons, OOD score; the bad files are rows with an error naming the file.
   */
  static void assertSameAsGrade(List<Scored> rows, Path model, List<Path> images, List<Path> bad) throws IOException {
    Map<String, Scored> byImage = rows.stream().collect(Collectors.toMap(Scored::image, Function.identity()));
    assertThat(byImage).hasSize(images.size() + bad.size());
    try (Grader grader = Grader.open(model)) {
      for (Path image : images) {
        GradeResult expected = grader.grade(image);
        Scored row = byImage.get(image.toString());
        assertThat(row).as(image.toString()).isNotNull();
        assertThat(row.error()).as(image + " error").isNull();
        assertThat(row.grade()).as(image + " grade").isEqualTo(expected.grade());
        if (expected.refused()) {
          // A val knee the OOD gate refuses (about 1 in 100) is a row without a grade, as grade reports it.
          assertThat(row.probabilities()).isNull();
        } else {
          assertThat(row.label()).isEqualTo(grader.task().grades().get(expected.grade()));
          assertThat(row.probabilities()).as(image + " probabilities").hasSize(expected.probabilities().length);
          for (int i = 0; i < expected.probabilities().length; i++) {
            assertThat(row.probabilities()[i]).as(image + " p" + i).isCloseTo(expected.probabilities()[i], within(1e-5f));
          }
          assertThat(row.confidence()).isCloseTo(expected.confidence(), within(1e-5f));
        }
        assertThat(row.needsReview()).as(image + " needs_review").isEqualTo(expected.needsReview());
        assertThat(row.reviewReasons()).as(image + " reasons").isEqualTo(expected.reviewReasons());
        assertThat(row.oodScore()).isCloseTo(expected.ood().score(), within(1e-6));
        assertThat(row.task()).isEqualTo("knee-kl");
      }
    }
    for (Path file : bad) {
      Scored row = byImage.get(file.toString());
      assertThat(row.grade()).isNull();
      assertThat(row.error()).as(file + " error").contains(file.getFileName().toString());
    }
  }

  /** An output row as the checks read it: from Spark, or from the CSV files as any CSV reader sees them. */
  record Scored(String image, String task, Integer grade, String label, float[] probabilities, Float confidence,
      Boolean needsReview, List<String> reviewReasons, Double oodScore, String error, String executor) {

    static Scored of(Row row) {
      return new Scored(row.getAs(ResultRows.IMAGE), row.getAs("task"), row.getAs("grade"), row.getAs("label"),
          floats(row.isNullAt(row.fieldIndex("probabilities")) ? null : row.getList(row.fieldIndex("probabilities"))),
          row.getAs("confidence"), row.getAs(ResultRows.NEEDS_REVIEW),
          row.isNullAt(row.fieldIndex("review_reasons")) ? null : row.<String>getList(row.fieldIndex("review_reasons")),
          row.getAs("ood_score"), row.getAs(ResultRows.ERROR), row.getAs("executor"));
    }

    /** Every row of a CSV output folder, read with the project's plain RFC 4180 reader, not Spark. */
    static List<Scored> readCsv(Path out) throws IOException {
      List<Scored> rows = new ArrayList<>();
      try (Stream<Path> parts = Files.list(out)) {
        for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
          CsvTable table = CsvTable.read(part);
          for (int i = 0; i < table.size(); i++) {
            int row = i;
            Function<String, String> cell = c -> table.value(row, c).isEmpty() ? null : table.value(row, c);
            rows.add(new Scored(cell.apply(ResultRows.IMAGE), cell.apply("task"),
                cell.apply("grade") == null ? null : Integer.valueOf(cell.apply("grade")), cell.apply("label"),
                cell.apply("probabilities") == null ? null : floats(parse(cell.apply("probabilities"))),
                cell.apply("confidence") == null ? null : Float.valueOf(cell.apply("confidence")),
                cell.apply(ResultRows.NEEDS_REVIEW) == null ? null
                    : Boolean.valueOf(cell.apply(ResultRows.NEEDS_REVIEW)),
                cell.apply("review_reasons") == null ? null
                    : parse(cell.apply("review_reasons")).stream().map(String::valueOf).toList(),
                cell.apply("ood_score") == null ? null : Double.valueOf(cell.apply("ood_score")),
                cell.apply(ResultRows.ERROR), cell.apply("executor")));
          }
        }
      }
      return rows;
    }

    private static float[] floats(List<?> values) {
      if (values == null) {
        return null;
      }
      float[] p = new float[values.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = ((Number) values.get(i)).floatValue();
      }
      return p;
    }

    private static List<?> parse(String json) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, List.class);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
