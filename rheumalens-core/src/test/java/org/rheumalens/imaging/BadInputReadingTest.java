package org.rheumalens.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.testing.BadInputCorpus;
import org.rheumalens.testing.BadInputCorpus.Expect;
import org.rheumalens.testing.BadInputSummary;

/** Every input of the generated bad-input corpus is read or refused with its cause, never a crash or a hang. */
class BadInputReadingTest {

  @TempDir Path dir;

  @Test
  void everyInputIsReadOrRefusedWithItsCause() throws Exception {
    List<BadInputCorpus.Input> corpus = BadInputCorpus.write(dir.resolve("corpus"));
    assertThat(corpus).hasSizeGreaterThan(80);
    RadiographReader reader = RadiographReader.standard();
    BadInputSummary summary = new BadInputSummary("RadiographReader over the bad-input corpus");
    List<String> problems = new ArrayList<>();
    for (BadInputCorpus.Input input : corpus) {
      long start = System.nanoTime();
      String label = input.kind() + " (" + input.file().getFileName() + ")";
      try {
        Radiograph image = reader.read(input.file());
        if (input.expect() == Expect.REFUSED) {
          problems.add(label + " was read, " + image.width() + "x" + image.height());
        }
        summary.read(input);
      } catch (ImageReadException e) {
        String message = e.getMessage();
        String cause = message.startsWith(input.file() + ": ") ? message.substring(input.file().toString().length() + 2) : "";
        if (input.expect() == Expect.READ) {
          problems.add(label + " was refused: " + message);
        } else if (cause.isBlank() || message.contains("\n")) {
          problems.add(label + ": not one line naming the file and a cause: " + message);
        } else if (input.cause() != null && !message.contains(input.cause())) {
          problems.add(label + ": the cause should say '" + input.cause() + "': " + message);
        }
        summary.refused(input, message);
      } catch (Throwable e) {
        problems.add(label + " crashed the reader: " + e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds > 10) {
        problems.add(label + " took " + seconds + " s");
      }
    }
    summary.report(Path.of("target/bad-input-reader.json"));
    assertThat(problems).isEmpty();
    assertThat(summary.outcomes()).containsKey("read").doesNotContainKey("refused: other");
  }

  @Test
  void hugeDeclaredDimensionsWithinTheLimitsAreRefusedForTheirMissingData() throws Exception {
    Map<String, String> causes =
        Map.of("png/ihdr-16000x6000-tiny-data", "corrupt or truncated", "dicom/10000x10000-tiny-data", "fewer than");
    List<BadInputCorpus.Input> huge = BadInputCorpus.write(dir.resolve("corpus")).stream()
        .filter(i -> causes.containsKey(i.kind())).toList();
    assertThat(huge).hasSize(2);
    for (BadInputCorpus.Input input : huge) {
      assertThatThrownBy(() -> RadiographReader.standard().read(input.file()))
          .isInstanceOf(ImageReadException.class).hasMessageContaining(causes.get(input.kind()));
    }
  }

  @Test
  void aFolderNamedLikeAnImageIsRefused() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("scan.png"));
    assertThatThrownBy(() -> RadiographReader.standard().read(folder))
        .isInstanceOf(ImageReadException.class)
        .hasMessage(folder + ": not a readable file: a folder");
  }
}
