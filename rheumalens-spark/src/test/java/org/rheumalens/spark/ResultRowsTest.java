package org.rheumalens.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.oversight.OodScore;

class ResultRowsTest {

  private static final List<String> GRADES = List.of("KL0", "KL1", "KL2", "KL3", "KL4");

  @Test
  void aGradedResultFillsEveryColumnInSchemaOrder() {
    GradeResult graded = new GradeResult("k.png", 3, new float[] {0.01f, 0.02f, 0.07f, 0.8f, 0.1f}, 0.8f, 31.5, null,
        new OodScore(false, 40.2, 120.0), null, true, List.of("low_confidence"), null, null, null, null, null,
        Map.of("osteophytes", Map.of("label", "2")));

    Row row = ResultRows.of("/data/k.png", graded, "knee-kl", GRADES, "1@host");

    assertThat(row.size()).isEqualTo(ResultRows.SCHEMA.size());
    assertThat(value(row, "image")).isEqualTo("/data/k.png");
    assertThat(value(row, "task")).isEqualTo("knee-kl");
    assertThat(value(row, "grade")).isEqualTo(3);
    assertThat(value(row, "label")).isEqualTo("KL3");
    assertThat((Float[]) value(row, "probabilities")).containsExactly(0.01f, 0.02f, 0.07f, 0.8f, 0.1f);
    assertThat(value(row, "confidence")).isEqualTo(0.8f);
    assertThat(value(row, "needs_review")).isEqualTo(true);
    assertThat((String[]) value(row, "review_reasons")).containsExactly("low_confidence");
    assertThat(value(row, "ood_score")).isEqualTo(40.2);
    assertThat(value(row, "ood_flagged")).isEqualTo(false);
    assertThat(value(row, "outputs")).isEqualTo("{\"osteophytes\":{\"label\":\"2\"}}");
    assertThat(value(row, "error")).isNull();
    assertThat(value(row, "ms")).isEqualTo(31.5);
    assertThat(value(row, "executor")).isEqualTo("1@host");
  }

  @Test
  void aFailedFileIsARowWithOnlyItsErrorAndTime() {
    Row row = ResultRows.of("/data/bad.png", GradeResult.failed("/data/bad.png", "bad.png: truncated", 2.0), "knee-kl",
        GRADES, "driver");

    assertThat(value(row, "grade")).isNull();
    assertThat(value(row, "probabilities")).isNull();
    assertThat(value(row, "error")).isEqualTo("bad.png: truncated");
  }

  @Test
  void csvTurnsEveryListColumnIntoTextAndKeepsTheRest() {
    var csv = ResultRows.csvSchema();
    assertThat(csv.fieldNames()).containsExactly(ResultRows.SCHEMA.fieldNames());
    assertThat(csv.apply("probabilities").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(csv.apply("review_reasons").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(csv.apply("confidence").dataType()).isEqualTo(DataTypes.FloatType);
  }

  /** The rows are built without a schema (Spark attaches it when it takes them), so columns are found by position. */
  private static Object value(Row row, String column) {
    return row.get(ResultRows.SCHEMA.fieldIndex(column));
  }
}
