package org.rheumalens.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.rheumalens.ml.GradingTrainer;
import org.rheumalens.ml.NetworkSpec;
import org.rheumalens.ml.TrainingConfig;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskBuilder;
import org.rheumalens.tasks.TaskDefinition;

/** A tiny model of a SYNTHETIC two-grade ultrasound task, trained for real once per test JVM, and its frames. */
final class TinyUltrasoundModel {

  static final String TASK = "us-test-synovitis";
  private static final String TASK_JSON = """
      {"id":"%s","title":"Synovitis on ultrasound (synthetic test task)","subject":"joint ultrasound",
       "modality":"US","input":{"size":64},
       "outputs":[{"name":"synovitis","kind":"ordinal","column":"grade","classes":["none","present"]}]}
      """.formatted(TASK);

  private static Path dir;

  private TinyUltrasoundModel() {}

  /** The model folder: one epoch of a tiny network on a few grey frames in train/0, train/1, val/0, val/1. */
  static synchronized Path get() throws IOException {
    if (dir == null) {
      GradingTask task = TaskBuilder.build(new ObjectMapper().readValue(TASK_JSON, TaskDefinition.class));
      Path root = Files.createTempDirectory("rheumalens-tiny-us");
      Path data = root.resolve("data");
      SplittableRandom random = new SplittableRandom(3);
      for (String split : List.of("train", "val")) {
        for (int grade = 0; grade < 2; grade++) {
          Path folder = Files.createDirectories(data.resolve(split).resolve(String.valueOf(grade)));
          for (int k = 0; k < (split.equals("train") ? 8 : 3); k++) {
            ImageIO.write(frame(grade, false, random), "png", folder.resolve("frame-" + k + ".png").toFile());
          }
        }
      }
      Path model = root.resolve("model");
      TrainingConfig config = TrainingConfig.builder().setTask(TASK).setData(data).setOutput(model)
          .optNetwork(NetworkSpec.tiny(2)).optEpochs(1).optBatchSize(8).optSeed(7).build();
      new GradingTrainer(task, config, new PrintStream(PrintStream.nullOutputStream())).train(false);
      dir = model;
    }
    return dir;
  }

  /** A synthetic ultrasound frame: speckle, with a bright band for grade 1; {@code doppler} adds a red-blue patch. */
  static BufferedImage frame(int grade, boolean doppler, SplittableRandom random) {
    BufferedImage image = new BufferedImage(120, 90, doppler ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int v = 30 + random.nextInt(40) + (grade == 1 && y > 35 && y < 55 ? 120 : 0);
        image.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    if (doppler) {
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(220, 30, 30));
      g.fillRect(40, 30, 20, 15);
      g.setColor(new Color(30, 60, 230));
      g.fillRect(60, 30, 20, 15);
      g.dispose();
    }
    return image;
  }
}
