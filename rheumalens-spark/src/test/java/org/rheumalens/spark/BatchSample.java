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
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.testing.SharedData;

/** Shared val images (a few per grade) with two bad files beside them, and the check that a batch graded as grade does. */
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
  static void assertSameAsGrade(List<Row> rows, Path model, List<Path> images, List<Path> bad) {
    Map<String, Row> byImage = rows.stream().collect(Collectors.toMap(r -> r.getAs(ResultRows.IMAGE), Function.identity()));
    assertThat(byImage).hasSize(images.size() + bad.size());
    try (Grader grader = Grader.open(model)) {
      for (Path image : images) {
        GradeResult expected = grader.grade(image);
        Row row = byImage.get(image.toString());
        assertThat(row).as(image.toString()).isNotNull();
        assertThat(row.<String>getAs(ResultRows.ERROR)).as(image + " error").isNull();
        assertThat(row.<Integer>getAs("grade")).as(image + " grade").isEqualTo(expected.grade());
        assertThat(row.<String>getAs("label")).isEqualTo(grader.task().grades().get(expected.grade()));
        float[] p = probabilities(row);
        assertThat(p).as(image + " probabilities").hasSize(expected.probabilities().length);
        for (int i = 0; i < p.length; i++) {
          assertThat(p[i]).as(image + " p" + i).isCloseTo(expected.probabilities()[i], within(1e-5f));
        }
        assertThat(row.<Float>getAs("confidence")).isCloseTo(expected.confidence(), within(1e-5f));
        assertThat(row.<Boolean>getAs(ResultRows.NEEDS_REVIEW)).as(image + " needs_review").isEqualTo(expected.needsReview());
        assertThat(reasons(row)).as(image + " reasons").isEqualTo(expected.reviewReasons());
        assertThat(row.<Double>getAs("ood_score")).isCloseTo(expected.ood().score(), within(1e-6));
        assertThat(row.<String>getAs("task")).isEqualTo("knee-kl");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (Path file : bad) {
      Row row = byImage.get(file.toString());
      assertThat(row.<Integer>getAs("grade")).isNull();
      assertThat(row.<String>getAs(ResultRows.ERROR)).as(file + " error").contains(file.getFileName().toString());
    }
  }

  /** Probabilities from Parquet (a list) or CSV (JSON text). */
  private static float[] probabilities(Row row) {
    Object value = row.getAs("probabilities");
    List<?> list = value instanceof String json ? parse(json) : row.getList(row.fieldIndex("probabilities"));
    float[] p = new float[list.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = ((Number) list.get(i)).floatValue();
    }
    return p;
  }

  private static List<String> reasons(Row row) {
    Object value = row.getAs("review_reasons");
    List<?> list = value instanceof String json ? parse(json) : row.getList(row.fieldIndex("review_reasons"));
    return list.stream().map(String::valueOf).toList();
  }

  private static List<?> parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, List.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
