package org.rheumalens.segmentation;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a segmentation training run; written into the card so the run can be repeated.
 *
 * @param classes class names by mask index; index 0 is the background
 * @param epochs passes over the training set
 * @param batchSize images per step (the last partial batch of an epoch is dropped)
 * @param learningRate peak Adam learning rate (one-epoch warm-up, cosine decay to 1% of it)
 * @param weightDecay Adam weight decay
 * @param seed seeds initialisation, data order and augmentation
 * @param network the architecture; its class count must be the number of classes
 * @param augmentation what training does to each image and mask
 * @param outputDir where weights and card are written
 */
public record SegmentationConfig(
    List<String> classes, int epochs, int batchSize, float learningRate, float weightDecay, long seed,
    SegmentationNetworkSpec network, SegmentationAugmentation augmentation, Path outputDir) {

  public SegmentationConfig {
    classes = List.copyOf(classes);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(augmentation, "augmentation");
    Objects.requireNonNull(outputDir, "outputDir");
    if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()) {
      throw new IllegalArgumentException("segmentation needs distinct class names, the background first and at least "
          + "one structure: " + classes);
    }
    if (network.classes() != classes.size()) {
      throw new IllegalArgumentException("the network has " + network.classes() + " outputs for " + classes.size()
          + " classes " + classes);
    }
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0) {
      throw new IllegalArgumentException("epochs, batch size and learning rate must be positive, weight decay not negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a config: classes and output folder are required; the rest have defaults for a small U-Net. */
  public static final class Builder {
    private List<String> classes;
    private Path outputDir;
    private int epochs = 30;
    private int batchSize = 8;
    private float learningRate = 2e-3f;
    private float weightDecay = 0f;
    private long seed = 1;
    private SegmentationNetworkSpec network;
    private SegmentationAugmentation augmentation = SegmentationAugmentation.standard();

    private Builder() {}

    /** Class names by mask index, the background first (e.g. "background", "gland"). */
    public Builder setClasses(List<String> classes) {
      this.classes = classes;
      return this;
    }

    public Builder setOutputDir(Path outputDir) {
      this.outputDir = outputDir;
      return this;
    }

    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optLearningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optWeightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The architecture; by default a U-Net of base width 16 and depth 4 with one output per class. */
    public Builder optNetwork(SegmentationNetworkSpec network) {
      this.network = network;
      return this;
    }

    public Builder optAugmentation(SegmentationAugmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    public SegmentationConfig build() {
      Objects.requireNonNull(classes, "classes: call setClasses");
      Objects.requireNonNull(outputDir, "outputDir: call setOutputDir");
      SegmentationNetworkSpec spec = network == null ? SegmentationNetworkSpec.unet(classes.size(), 16, 4) : network;
      return new SegmentationConfig(classes, epochs, batchSize, learningRate, weightDecay, seed, spec, augmentation, outputDir);
    }
  }
}
