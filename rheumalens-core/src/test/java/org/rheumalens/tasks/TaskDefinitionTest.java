package org.rheumalens.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.Radiograph;

class TaskDefinitionTest {

  static final String MINIMAL = "{\"id\":\"us-synovitis\",\"title\":\"Joint ultrasound synovitis\",\"subject\":\"joint ultrasound\","
      + "\"modality\":\"US\",\"outputs\":[{\"name\":\"synovitis\",\"kind\":\"ordinal\",\"column\":\"grade\","
      + "\"classes\":[\"0\",\"1\",\"2\",\"3\"]}]}";

  @Test
  void theIssuesMinimalFileIsEnoughAndGetsUltrasoundDefaults(@TempDir Path dir) throws IOException {
    GradingTask task = Tasks.fromFile(Files.writeString(dir.resolve("t.json"), MINIMAL));
    assertThat(task.id()).isEqualTo("us-synovitis");
    assertThat(task.grades()).containsExactly("0", "1", "2", "3");
    assertThat(task.inputSize()).isEqualTo(224);
    assertThat(task.colourHandling()).isEqualTo(ColourHandling.TO_GREY);
    assertThat(task.measuresJointSpace()).isFalse();
    assertThat(task.defaultNormalisation().id()).isEqualTo("none");
    assertThat(task.definition().geometry()).isEqualTo("letterbox");
    assertThat(task.definition().network()).isEqualTo("resnet18-half");
    assertThat(task.describePreprocessing(null)).contains("letterbox-resize(224)");
  }

  @Test
  void theBuiltInKneeTaskIsAFileOfTheSameFormWithTheBundledModelsPreprocessing(@TempDir Path dir) throws IOException {
    GradingTask knee = Tasks.byId("knee-kl");
    assertThat(knee.definition().pluginsOrNone()).containsExactly("knee");
    assertThat(knee.measuresJointSpace()).isTrue();
    assertThat(knee.colourHandling()).isEqualTo(ColourHandling.REFUSE);
    assertThat(knee.normalisations()).extracting(GradingTask.Normalisation::id).containsExactly("clahe", "flat-equalised", "flat-sharpness-equalised");
    // The bundled model's card lists the preprocessing it was trained with: the file-built task, given the card's
    // normalisation, must repeat it (the trainer adds the storage augmentations a run asked for, train-only).
    Path card = Path.of(System.getProperty("user.dir")).getParent().resolve("models/knee-kl/model-card.json");
    var bundled = org.rheumalens.ml.ModelCard.read(card.getParent());
    List<String> trainedWith = bundled.preprocessing().stream()
        .filter(step -> !step.startsWith("train-only archive-copy") && !step.startsWith("train-only acquisition"))
        .toList();
    assertThat(knee.describePreprocessing(bundled.config().normalisation())).isEqualTo(trainedWith);
    assertThat(bundled.gradingTask().definition()).isEqualTo(knee.definition());
    // A card from before task files (the knee model bundled until issue 19) names no task definition and no
    // held-out share: it still reads, as the knee, with the task's default preprocessing.
    Path old = Files.createDirectories(dir.resolve("old"));
    try (var in = getClass().getResourceAsStream("/cards/knee-kl-before-task-files.json")) {
      Files.copy(in, old.resolve("model-card.json"));
    }
    var before = org.rheumalens.ml.ModelCard.read(old);
    assertThat(before.task()).isNull();
    assertThat(before.gradingTask()).isSameAs(knee);
    assertThat(before.config().heldOutFraction()).isEqualTo(0.15);
    assertThat(knee.describePreprocessing(before.config().normalisation())).isEqualTo(before.preprocessing());
  }

  @Test
  void letterboxingKeepsTheWholeImageAndCentresIt() {
    GradingTask task = TaskBuilder.build(definition("{\"id\":\"x\",\"title\":\"t\",\"subject\":\"s\",\"modality\":\"US\","
        + "\"input\":{\"size\":64},\"outputs\":[{\"name\":\"g\",\"kind\":\"binary\"}]}"));
    float[] values = new float[200 * 100];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 200) < 100 ? 10 : 200;
    }
    Radiograph wide = new Radiograph("w", "PNG", 200, 100, values, 8, false, java.util.Optional.empty(),
        java.util.Optional.empty(), "OT");
    var plane = task.prepareGeometry(wide);
    assertThat(plane.width()).isEqualTo(64);
    // Left half dark, right half bright, black bands above and below.
    assertThat(plane.at(5, 32)).isLessThan(0.2f);
    assertThat(plane.at(58, 32)).isGreaterThan(0.8f);
    assertThat(plane.at(32, 2)).isEqualTo(0f);
    assertThat(plane.at(32, 61)).isEqualTo(0f);
    assertThat(task.sourcePixelsPerInputPixel(wide)).isEqualTo(200 / 64.0);
    assertThat(task.grades()).containsExactly("0", "1");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    TaskDefinition bad = definition("{\"id\":\"Has Space\",\"modality\":\"PET\",\"input\":{\"size\":100,\"channels\":2},"
        + "\"outputs\":[{\"name\":\"a\",\"kind\":\"ordinal\",\"classes\":[\"0\"]},{\"name\":\"a\",\"kind\":\"regression\"}]}");
    assertThat(bad.problems()).anyMatch(p -> p.startsWith("\"id\" must be"))
        .anyMatch(p -> p.startsWith("\"title\" is required"))
        .anyMatch(p -> p.startsWith("\"subject\" is required"))
        .anyMatch(p -> p.contains("\"modality\" must be one of XR, US, MR, CT (was \"PET\")"))
        .anyMatch(p -> p.contains("\"input.size\" must be a multiple of 32"))
        .anyMatch(p -> p.contains("\"input.channels\" must be 1 or 3"))
        .anyMatch(p -> p.contains("outputs[0].classes must list at least two labels"))
        .anyMatch(p -> p.contains("outputs[1].name \"a\" is used twice"))
        .anyMatch(p -> p.contains("outputs[1].range must be [min, max]"));
    assertThatThrownBy(() -> TaskBuilder.build(bad)).hasMessageContaining("is not usable");
  }

  @Test
  void unknownFieldsAndBrokenJsonAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.json"), MINIMAL.replace("\"modality\"", "\"modalty\""));
    assertThatThrownBy(() -> Tasks.fromFile(typo)).hasMessageContaining("typo.json")
        .hasMessageContaining("unknown field \"modalty\"");
    Path broken = Files.writeString(dir.resolve("broken.json"), MINIMAL.substring(0, 40));
    assertThatThrownBy(() -> Tasks.fromFile(broken)).hasMessageContaining("broken.json").hasMessageContaining("not valid task JSON");
    assertThatThrownBy(() -> Tasks.byId("hand-svdh")).hasMessageContaining("--task-file");
  }

  @Test
  void labelsMatchTheirClassWrittenAsNumbersOrInAnotherCase() {
    TaskDefinition.Output output = new TaskDefinition.Output("g", TaskDefinition.Kind.CATEGORICAL, null,
        List.of("0", "1", "absent", "present"), null);
    assertThat(output.classIndex("1.0")).isEqualTo(1);
    assertThat(output.classIndex(" Present ")).isEqualTo(3);
    assertThat(output.classIndex("2")).isEqualTo(-1);
    assertThat(output.labelColumn()).isEqualTo("g");
  }

  private static TaskDefinition definition(String json) {
    try {
      return new ObjectMapper().readValue(json, TaskDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
