package org.rheumalens.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.explain.Heatmap;
import org.rheumalens.explain.HeatmapRenderer;
import org.rheumalens.imaging.ColourHandling;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;

/** A task with {@code "input": {"channels": 3}}: colour read as R, G, B and carried, in register, to the model input. */
class ColourInputTest {

  private static final String COLOUR_TASK = "{\"id\":\"us-doppler\",\"title\":\"t\",\"subject\":\"joint ultrasound\","
      + "\"modality\":\"US\",\"input\":{\"size\":32,\"channels\":3},\"outputs\":[{\"name\":\"flow\",\"kind\":\"binary\"}]}";

  @Test
  void threeChannelsKeepColourAndSayHowInTheModelCardsPreprocessing() {
    GradingTask task = TaskBuilder.build(definition(COLOUR_TASK));
    assertThat(task.inputChannels()).isEqualTo(3);
    assertThat(task.colourHandling()).isEqualTo(ColourHandling.KEEP);
    assertThat(TaskBuilder.withDefaults(definition(COLOUR_TASK)).colour()).isEqualTo("keep");
    assertThat(task.describePreprocessing(null).get(0)).startsWith("colour(R, G, B kept");
    GradingTask grey = TaskBuilder.build(definition(COLOUR_TASK.replace("\"channels\":3", "\"channels\":1")));
    assertThat(grey.inputChannels()).isEqualTo(1);
    assertThat(grey.colourHandling()).isEqualTo(ColourHandling.TO_GREY);
    assertThat(grey.describePreprocessing(null)).noneMatch(step -> step.startsWith("colour("));
  }

  @Test
  void colourHandlingThatContradictsTheChannelsAndColourSegmentationAreRefused() {
    assertThat(definition(COLOUR_TASK.replace("\"outputs\"", "\"colour\":\"to-grey\",\"outputs\"")).problems())
        .anyMatch(p -> p.contains("\"input.channels\" 3 reads R, G and B"));
    assertThat(definition(COLOUR_TASK.replace("\"channels\":3", "\"channels\":1")
        .replace("\"outputs\"", "\"colour\":\"keep\",\"outputs\"")).problems())
        .anyMatch(p -> p.contains("\"colour\": \"keep\" needs"));
    String segmentation = COLOUR_TASK.replace("{\"name\":\"flow\",\"kind\":\"binary\"}",
        "{\"name\":\"vessel\",\"kind\":\"segmentation\",\"classes\":[\"background\",\"vessel\"]}");
    assertThatThrownBy(() -> TaskBuilder.build(definition(segmentation)))
        .hasMessageContaining("a segmentation task takes grey images");
  }

  @Test
  void aColourFileIsReadAsRgbAndAGreyFileBecomesThreeEqualChannels(@TempDir Path dir) throws Exception {
    GradingTask task = TaskBuilder.build(definition(COLOUR_TASK));
    RadiographReader reader = RadiographReader.standard(task.colourHandling());
    BufferedImage colour = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    BufferedImage grey = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        // Left half red, right half blue; the grey file a ramp.
        colour.setRGB(x, y, x < 20 ? 0xdc3c3c : 0x3c6ce6);
        grey.getRaster().setSample(x, y, 0, x * 6);
      }
    }
    ImageIO.write(colour, "png", dir.resolve("colour.png").toFile());
    ImageIO.write(grey, "png", dir.resolve("grey.png").toFile());

    Radiograph rgb = reader.read(dir.resolve("colour.png"));
    assertThat(rgb.channels()).isEqualTo(3);
    assertThat(rgb.values()).hasSize(3 * 40 * 40);
    assertThat(rgb.values()[0]).isEqualTo(0xdc); // R of the top-left pixel
    assertThat(rgb.values()[2 * 1600 + 39]).isEqualTo(0xe6); // B of the top-right pixel
    Plane input = task.prepareGeometry(rgb);
    assertThat(input.channels()).isEqualTo(3);
    assertThat(input.channel(0).at(4, 16)).isGreaterThan(input.channel(2).at(4, 16)); // red on the left
    assertThat(input.channel(2).at(28, 16)).isGreaterThan(input.channel(0).at(28, 16)); // blue on the right

    Radiograph greyRead = reader.read(dir.resolve("grey.png"));
    assertThat(greyRead.channels()).isEqualTo(1);
    Plane replicated = task.prepareGeometry(greyRead);
    assertThat(replicated.channels()).isEqualTo(3);
    assertThat(replicated.channel(1).data()).isEqualTo(replicated.channel(0).data());
    assertThat(replicated.channel(2).data()).isEqualTo(replicated.channel(0).data());

    // A one-channel task never sees three channels: the same file is read as grey luma.
    GradingTask greyTask = TaskBuilder.build(definition(COLOUR_TASK.replace("\"channels\":3", "\"channels\":1")));
    assertThat(RadiographReader.standard(greyTask.colourHandling()).read(dir.resolve("colour.png")).channels())
        .isEqualTo(1);
    assertThatThrownBy(() -> greyTask.prepareGeometry(rgb)).hasMessageContaining("has 3 channels");
  }

  @Test
  void augmentationMovesEveryChannelWithTheSameRandomDraws() {
    Pipeline augmentation = TaskBuilder.augmentation("US", null);
    Plane grey = ramp(32);
    Plane colour = Plane.stack(java.util.List.of(grey, grey, grey));
    Plane out = augmentation.apply(colour, new SplittableRandom(9));
    assertThat(out.channels()).isEqualTo(3);
    // Equal channels in, equal channels out: flip, turn, scale, shift and gamma were drawn once for all three.
    assertThat(out.channel(1).data()).isEqualTo(out.channel(0).data());
    assertThat(out.channel(2).data()).isEqualTo(out.channel(0).data());
    assertThat(out.channel(0).data()).isNotEqualTo(grey.data());
  }

  @Test
  void aGreyPlaneTakesTheSameDrawsAsBeforeChannelsExisted() {
    Pipeline augmentation = TaskBuilder.augmentation("XR", null);
    Plane grey = ramp(32);
    Plane viaPipeline = augmentation.apply(grey, new SplittableRandom(4));
    SplittableRandom random = new SplittableRandom(4);
    Plane byHand = new org.rheumalens.preprocess.RandomAffine(0.5, 8, 0.08, 0.04)
        .apply(new org.rheumalens.preprocess.RandomIntensity(0.3, 0.15, 0.06).apply(grey, random), random);
    assertThat(viaPipeline.channels()).isEqualTo(1);
    assertThat(viaPipeline.data()).isEqualTo(byHand.data());
  }

  @Test
  void mirrorsAndBytesKeepTheChannelsApart() {
    Plane a = ramp(8);
    Plane b = a.mirrored();
    Plane colour = Plane.stack(java.util.List.of(a, b, a));
    Plane mirrored = colour.mirrored();
    assertThat(mirrored.channel(0).data()).isEqualTo(b.data());
    assertThat(mirrored.channel(1).data()).isEqualTo(a.data());
    Plane roundTrip = Plane.fromBytes(8, 8, colour.toBytes());
    assertThat(roundTrip.channels()).isEqualTo(3);
    assertThat(roundTrip.channel(1).toBytes()).isEqualTo(b.toBytes());
  }

  @Test
  void aHeatmapIsDrawnOverTheInputInItsColours() {
    float[] red = new float[3 * 16];
    java.util.Arrays.fill(red, 0, 16, 1f); // R = 1, G = B = 0
    BufferedImage overlay = HeatmapRenderer.render(new Plane(4, 4, 3, red),
        new Heatmap("grad-cam", 1, 4, 4, new float[16]), "t");
    int pixel = overlay.getRGB(1, overlay.getHeight() - 4); // inside the 8 x 8 drawing of the input
    assertThat((pixel >> 16) & 0xff).as(Integer.toHexString(pixel)).isEqualTo(255);
    assertThat(pixel & 0xff).isZero();
  }

  private static Plane ramp(int size) {
    float[] v = new float[size * size];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % size) / (float) size * 0.8f + (i / size) / (float) size * 0.2f;
    }
    return new Plane(size, size, v);
  }

  private static TaskDefinition definition(String json) {
    try {
      return new ObjectMapper().readValue(json, TaskDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
