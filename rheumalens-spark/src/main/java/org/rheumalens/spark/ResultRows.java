package org.rheumalens.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rheumalens.ml.GradeResult;

/**
 * One output row per image: the same reading {@code grade --json} prints, flattened into columns a table can hold.
 * Secondary outputs (their label, class, probabilities or value) stay one JSON column, since each task names its own.
 */
public final class ResultRows {

  public static final String IMAGE = "image";
  public static final String ERROR = "error";
  public static final String NEEDS_REVIEW = "needs_review";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field(IMAGE, DataTypes.StringType, false),
      field("task", DataTypes.StringType, true),
      field("grade", DataTypes.IntegerType, true),
      field("label", DataTypes.StringType, true),
      field("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true),
      field("confidence", DataTypes.FloatType, true),
      field(NEEDS_REVIEW, DataTypes.BooleanType, true),
      field("review_reasons", DataTypes.createArrayType(DataTypes.StringType, false), true),
      field("ood_score", DataTypes.DoubleType, true),
      field("ood_flagged", DataTypes.BooleanType, true),
      field("outputs", DataTypes.StringType, true),
      field("message", DataTypes.StringType, true),
      field(ERROR, DataTypes.StringType, true),
      field("ms", DataTypes.DoubleType, false),
      field("executor", DataTypes.StringType, true)});

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultRows() {}

  /** The row for {@code result}; {@code grades} labels the grade, {@code executor} says which JVM scored it. */
  public static Row of(String image, GradeResult result, String task, List<String> grades, String executor) {
    Integer grade = result.grade();
    return RowFactory.create(image, task, grade, grade == null ? null : grades.get(grade),
        result.probabilities() == null ? null : boxed(result.probabilities()), result.confidence(),
        result.needsReview(),
        result.reviewReasons() == null ? null : result.reviewReasons().toArray(String[]::new),
        result.ood() == null ? null : result.ood().score(), result.ood() == null ? null : result.ood().flagged(),
        result.outputs() == null ? null : json(result.outputs()), result.message(), result.error(), result.ms(),
        executor);
  }

  /** A row for an image that could not even be handed to the grader (e.g. a path the file system refuses). */
  public static Row failed(String image, String error, String executor) {
    return of(image, GradeResult.failed(image, error, 0), null, List.of(), executor);
  }

  /** CSV holds no arrays: lists become JSON text ({@code [0.1,0.7,...]}), the rest stays as it is. */
  static Dataset<Row> forCsv(Dataset<Row> rows) {
    Column[] columns = new Column[SCHEMA.size()];
    for (int i = 0; i < columns.length; i++) {
      String name = SCHEMA.fields()[i].name();
      columns[i] = isList(SCHEMA.fields()[i]) ? functions.to_json(functions.col(name)).as(name) : functions.col(name);
    }
    return rows.select(columns);
  }

  /** The schema of {@link #forCsv}'s rows, to read a CSV output back with. */
  static StructType csvSchema() {
    StructField[] fields = SCHEMA.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (isList(fields[i])) {
        fields[i] = field(fields[i].name(), DataTypes.StringType, true);
      }
    }
    return new StructType(fields);
  }

  private static boolean isList(StructField field) {
    return field.dataType() instanceof ArrayType;
  }

  private static Float[] boxed(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outputs not writable as JSON", e);
    }
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
