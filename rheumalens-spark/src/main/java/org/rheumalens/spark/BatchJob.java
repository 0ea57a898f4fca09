package org.rheumalens.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

/**
 * A batch scoring job: the images spread over partitions, each partition scored by one grader, the rows written as
 * Parquet or CSV, and the written rows counted back.
 *
 * @param images absolute paths (or a manifest's entries), as executors will open them
 * @param modelDir the model folder, as executors will find it ({@link GraderCache#locate})
 * @param out the output folder; must not exist yet
 * @param partitions how many partitions; 0 for four per core Spark offers, so a slow partition does not hold up the end
 */
public record BatchJob(List<String> images, String modelDir, Path out, Format format, int partitions) {

  /** The file format of the output folder. */
  public enum Format {
    PARQUET, CSV;

    String sparkName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What a run did: rows written, how many carry an error or need review, how fast, and the CPU seconds its scoring
   * threads got (over {@code seconds}: the cores it really had, which on a shared machine can be fewer than asked for).
   */
  public record Summary(long images, long errors, long needsReview, int partitions, double seconds, double cpuSeconds) {
    public double imagesPerSecond() {
      return images / seconds;
    }
  }

  /** A header, and quotes doubled (RFC 4180, as spreadsheets and pandas read them) rather than Spark's backslash. */
  private static final java.util.Map<String, String> CSV_OPTIONS = java.util.Map.of("header", "true", "escape", "\"");

  public BatchJob {
    images = List.copyOf(images);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to score");
    }
    if (Files.exists(out)) {
      throw new IllegalArgumentException("output folder " + out + " already exists: remove it or choose another");
    }
  }

  public Summary run(SparkSession spark) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = partitions > 0 ? partitions : Math.max(1, Math.min(images.size(), 4 * context.defaultParallelism()));
    long start = System.nanoTime();
    LongAccumulator cpuNanos = spark.sparkContext().longAccumulator("scoring CPU ns");
    JavaRDD<Row> rows = context.parallelize(images, slices).mapPartitions(new PartitionScorer(modelDir, cpuNanos));
    Dataset<Row> table = spark.createDataFrame(rows, ResultRows.SCHEMA);
    if (format == Format.CSV) {
      ResultRows.forCsv(table).write().format(format.sparkName()).options(CSV_OPTIONS).save(out.toString());
    } else {
      table.write().format(format.sparkName()).save(out.toString());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Dataset<Row> written = read(spark, out, format);
    Row counts = written.agg(functions.count(functions.lit(1)),
        functions.count(functions.col(ResultRows.ERROR)),
        functions.sum(functions.when(functions.col(ResultRows.NEEDS_REVIEW).cast("boolean"), 1).otherwise(0)))
        .first();
    return new Summary(counts.getLong(0), counts.getLong(1), counts.isNullAt(2) ? 0 : counts.getLong(2), slices,
        seconds, cpuNanos.value() / 1e9);
  }

  /** The rows a run wrote, with the schema it wrote them with (CSV lists come back as JSON text). */
  public static Dataset<Row> read(SparkSession spark, Path out, Format format) {
    var reader = spark.read().format(format.sparkName());
    if (format == Format.CSV) {
      reader = reader.options(CSV_OPTIONS).schema(ResultRows.csvSchema());
    }
    return reader.load(out.toString());
  }
}
