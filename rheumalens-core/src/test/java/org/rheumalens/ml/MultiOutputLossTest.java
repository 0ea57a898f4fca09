package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;
import org.rheumalens.tasks.TaskDefinition.Output;

class MultiOutputLossTest {

  private static final TaskDefinition TASK = new TaskDefinition("t", "t", "s", "US", null, List.of(
      new Output("grade", Kind.ORDINAL, null, List.of("0", "1", "2"), null),
      new Output("depth", Kind.REGRESSION, null, null, List.of(0.0, 10.0)),
      new Output("flow", Kind.BINARY, null, List.of("absent", "present"), null)), null, null, null, null, null, null);

  @Test
  void eachOutputsTermReadsItsOwnSliceAndLabelColumn() {
    OutputHeads heads = OutputHeads.of(TASK);
    assertThat(heads.totalUnits()).isEqualTo(6);
    MultiOutputLoss loss = new MultiOutputLoss(new OrdinalLoss(new float[] {1, 1, 1}, 0f), heads);
    try (NDManager manager = NDManager.newBaseManager()) {
      // Image 0: grade 2, depth 3 mm (0.3 scaled), flow present; image 1: grade 0, depth 8 mm, flow absent.
      var labels = new NDList(manager.create(new float[][] {{2, 0.3f, 1}, {0, 0.8f, 0}}));
      float right = loss.evaluate(labels, new NDList(manager.create(new float[][] {
          {-5, -5, 5, 0.3f, -5, 5}, {5, -5, -5, 0.8f, 5, -5}}))).getFloat();
      float flowWrong = loss.evaluate(labels, new NDList(manager.create(new float[][] {
          {-5, -5, 5, 0.3f, 5, -5}, {5, -5, -5, 0.8f, -5, 5}}))).getFloat();
      float depthWrong = loss.evaluate(labels, new NDList(manager.create(new float[][] {
          {-5, -5, 5, 0.9f, -5, 5}, {5, -5, -5, 0.1f, 5, -5}}))).getFloat();
      assertThat(right).isLessThan(0.05f);
      assertThat(flowWrong).isGreaterThan(right + 5);
      assertThat(depthWrong).isGreaterThan(right + 0.5f);
    }
    var reading = heads.read(new float[] {0.25f, -3, 3});
    assertThat(((Number) ((java.util.Map<?, ?>) reading.get("depth")).get("value")).doubleValue()).isEqualTo(2.5, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(((java.util.Map<?, ?>) reading.get("flow")).get("label")).isEqualTo("present");
  }
}
