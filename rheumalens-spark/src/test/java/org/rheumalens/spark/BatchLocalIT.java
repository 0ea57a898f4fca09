package org.rheumalens.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch scoring on local[2] over shared val images and two bad files gives what {@code grade} gives. */
class BatchLocalIT {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BatchSession.start("local[2]", Map.of("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void manifestOfValImagesScoresAsGradeDoesAndBadFilesBecomeErrorRows(@TempDir Path dir) throws Exception {
    List<Path> images = BatchSample.valImages(8);
    List<Path> bad = BatchSample.badFiles(dir, images.get(0));
    // A manifest with paths relative to it (the bad files) and absolute ones (the shared images).
    List<String> lines = new ArrayList<>(List.of("image,note"));
    images.forEach(i -> lines.add(i + ",val"));
    bad.forEach(b -> lines.add(b.getFileName() + ",bad"));
    Path manifest = Files.write(dir.resolve("batch.csv"), lines);

    BatchJob job = new BatchJob(BatchInputs.list(manifest), BatchSample.model().toString(), dir.resolve("out"),
        BatchJob.Format.PARQUET, 0);
    BatchJob.Summary summary = job.run(spark);

    assertThat(images).hasSize(40);
    assertThat(summary.images()).isEqualTo(42);
    assertThat(summary.errors()).isEqualTo(2);
    assertThat(summary.partitions()).isEqualTo(8);
    assertThat(summary.cpuSeconds()).as("scoring CPU seconds").isPositive();
    // Eight partitions here (and three in the CSV test), two task slots: this JVM loads the model at most twice.
    assertThat(GraderCache.loads()).isBetween(1, 2);
    BatchSample.assertSameAsGrade(BatchJob.read(spark, dir.resolve("out"), BatchJob.Format.PARQUET).collectAsList()
        .stream().map(BatchSample.Scored::of).toList(), BatchSample.model(), images, bad);
  }

  @Test
  void csvOutputCarriesTheSameReadings(@TempDir Path dir) throws Exception {
    List<Path> images = BatchSample.valImages(1);
    List<Path> bad = BatchSample.badFiles(dir, images.get(0));
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> copies = new ArrayList<>();
    for (Path file : images) {
      copies.add(Files.copy(file, in.resolve(file.getParent().getFileName() + "-" + file.getFileName())));
    }
    for (Path file : bad) {
      Files.move(file, in.resolve(file.getFileName()));
    }
    BatchJob.Summary summary = new BatchJob(BatchInputs.list(in), BatchSample.model().toString(), dir.resolve("out"),
        BatchJob.Format.CSV, 3).run(spark);

    assertThat(summary.images()).isEqualTo(7);
    assertThat(summary.errors()).isEqualTo(2);
    assertThat(Files.list(dir.resolve("out")).anyMatch(f -> f.toString().endsWith(".csv"))).isTrue();
    // As Spark reads it back, and as a plain CSV reader (a spreadsheet, pandas) does.
    List<Row> bySpark = BatchJob.read(spark, dir.resolve("out"), BatchJob.Format.CSV).collectAsList();
    assertThat(bySpark).hasSize(7).filteredOn(r -> r.getAs(ResultRows.ERROR) != null).hasSize(2);
    BatchSample.assertSameAsGrade(BatchSample.Scored.readCsv(dir.resolve("out")), BatchSample.model(), copies,
        List.of(in.resolve(BatchSample.TRUNCATED), in.resolve(BatchSample.NOT_AN_IMAGE)));
  }

  @Test
  void anOutputFolderThatExistsIsRefusedBeforeAnythingRuns(@TempDir Path dir) {
    assertThatThrownBy(() -> new BatchJob(List.of("x.png"), "model", dir, BatchJob.Format.PARQUET, 0))
        .hasMessageContaining("already exists");
  }
}
