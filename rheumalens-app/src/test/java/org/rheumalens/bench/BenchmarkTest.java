package org.rheumalens.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rheumalens.ml.LabelledImage;

class BenchmarkTest {

  private static final List<LabelledImage> TEN =
      IntStream.range(0, 10).mapToObj(i -> new LabelledImage(Path.of(i + ".png"), i / 2)).toList();

  @Test
  void spreadPicksEvenlyThroughTheListSoEveryGradeAppears() {
    List<LabelledImage> picked = Benchmark.spread(TEN, 5);
    assertThat(picked).extracting(LabelledImage::grade).containsExactly(0, 1, 2, 3, 4);
    assertThat(picked).doesNotHaveDuplicates();
  }

  @Test
  void spreadKeepsEverythingWhenThereAreFewerImagesThanAsked() {
    assertThat(Benchmark.spread(TEN, 64)).isEqualTo(TEN);
  }
}
