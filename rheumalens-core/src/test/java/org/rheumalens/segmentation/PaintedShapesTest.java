package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Boxes and points in a manifest cell become the label image a mask file would have been. */
class PaintedShapesTest {

  private static final List<String> CLASSES = List.of("background", "mcp2", "mcp3");

  @Test
  void boxesAreFilledAndPointsBecomeDiscs() {
    assertThat(PaintedShapes.looksLikeShapes("mcp2 1 2 5 6; mcp3 8 8")).isTrue();
    assertThat(PaintedShapes.looksLikeShapes("masks/a b.png")).isFalse();
    int[] labels = PaintedShapes.parse("mcp2 1 2 5 6; mcp3 30 30", CLASSES).paint(50, 40);
    assertThat(labels[2 * 50 + 1]).isEqualTo(1);
    assertThat(labels[5 * 50 + 4]).isEqualTo(1);
    assertThat(labels[6 * 50 + 5]).isZero();
    assertThat(labels[1 * 50 + 1]).isZero();
    // A point is a disc of 4% of the shorter side (1.6 px here) around it.
    assertThat(labels[30 * 50 + 30]).isEqualTo(2);
    assertThat(labels[30 * 50 + 33]).isZero();
    long painted = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
    assertThat(painted).isEqualTo(16);
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> PaintedShapes.parse("pip2 1 2 5 6", CLASSES)).hasMessageContaining("\"pip2\" is not one of");
    assertThatThrownBy(() -> PaintedShapes.parse("background 1 2 5 6", CLASSES)).hasMessageContaining("not one of");
    assertThatThrownBy(() -> PaintedShapes.parse("mcp2 5 2 1 6", CLASSES)).hasMessageContaining("x1 > x0");
    assertThatThrownBy(() -> PaintedShapes.parse("mcp2 1 2 5", CLASSES)).hasMessageContaining("neither a box");
    assertThatThrownBy(() -> PaintedShapes.parse("mcp2 1 2 5 6", CLASSES).paint(4, 4)).hasMessageContaining("outside the 4x4 image");
  }
}
