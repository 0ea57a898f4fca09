package org.rheumalens.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.segmentation.ManifestSegmentation;
import org.rheumalens.segmentation.SegmentationConfig;
import org.rheumalens.segmentation.SegmentationNetworkSpec;
import org.rheumalens.segmentation.SegmentationSample;
import org.rheumalens.segmentation.SyntheticSegmentation;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskBuilder;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.testing.TestDicom;

/**
 * A tiny segmentation model of a SYNTHETIC task (a bright striated "gland" and a dark "node" in speckle,
 * {@link SyntheticSegmentation}), trained for real once per test JVM through the task-file path ({@code train
 * --task-file} does the same), and frames to upload to it.
 */
final class TinySegmentationModel {

  static final String TASK = "us-test-gland";
  private static final int SIZE = 32;
  private static final String TASK_JSON = """
      {"id":"%s","title":"Gland outline (synthetic test task)","subject":"salivary gland ultrasound",
       "modality":"US","input":{"size":%d},
       "outputs":[{"name":"outline","kind":"segmentation","column":"mask","classes":["background","gland","node"]}]}
      """.formatted(TASK, SIZE);

  private static Path dir;

  private TinySegmentationModel() {}

  /** The model folder: a U-Net 8 channels wide, a few epochs on 64 frames of 32 x 32 (a fifth held out). */
  static synchronized Path get() throws IOException {
    if (dir == null) {
      GradingTask task = TaskBuilder.build(new ObjectMapper().readValue(TASK_JSON, TaskDefinition.class));
      Path root = Files.createTempDirectory("rheumalens-tiny-seg");
      List<String> rows = new ArrayList<>(List.of("image,mask,patient"));
      List<SegmentationSample> samples = SyntheticSegmentation.samples(64, SIZE, 1);
      for (int i = 0; i < samples.size(); i++) {
        ImageIO.write(grey(samples.get(i).image()), "png", root.resolve(i + ".png").toFile());
        ImageIO.write(labels(samples.get(i)), "png", root.resolve(i + "-mask.png").toFile());
        rows.add(i + ".png," + i + "-mask.png,P" + i);
      }
      Path manifest = Files.write(root.resolve("train.csv"), rows);
      Path model = root.resolve("model");
      long start = System.nanoTime();
      ManifestSegmentation.train(task, Manifest.read(manifest, task.definition()), null, 0.2, 7,
          SegmentationConfig.builder().optNetwork(SegmentationNetworkSpec.unet(3, 8, 3)).optEpochs(6).optBatchSize(8)
              .optLearningRate(3e-3f).optSeed(7),
          model, new PrintStream(PrintStream.nullOutputStream()));
      System.out.printf("tiny segmentation model trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
      dir = model;
    }
    return dir;
  }

  /** A frame the model has not seen, as DICOM with 0.15 mm pixels, so that sizes are in millimetres. */
  static Path dicomFrame(Path dir) throws Exception {
    Path png = dir.resolve("frame.png");
    ImageIO.write(grey(SyntheticSegmentation.samples(1, SIZE, 99).get(0).image()), "png", png.toFile());
    AttributeList list = TestDicom.put(TestDicom.fromPng(png), TagFromName.Modality, "US", TagFromName.PatientID, "SEG-1",
        TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.2.1125.77.1", TagFromName.SeriesInstanceUID,
        "1.2.826.0.1.3680043.2.1125.77.2", TagFromName.PixelSpacing, "0.15");
    list.get(TagFromName.PixelSpacing).addValue("0.15");
    return TestDicom.write(list, dir.resolve("frame.dcm"));
  }

  private static BufferedImage grey(Plane plane) {
    BufferedImage image = new BufferedImage(plane.width(), plane.height(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < plane.height(); y++) {
      for (int x = 0; x < plane.width(); x++) {
        image.getRaster().setSample(x, y, 0, Math.round(plane.at(x, y) * 255));
      }
    }
    return image;
  }

  private static BufferedImage labels(SegmentationSample sample) {
    BufferedImage mask = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        mask.getRaster().setSample(x, y, 0, sample.mask().at(x, y));
      }
    }
    return mask;
  }
}
