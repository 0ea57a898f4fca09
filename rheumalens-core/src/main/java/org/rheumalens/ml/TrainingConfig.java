package org.rheumalens.ml;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a training run; written into the model card so the run can be repeated.
 *
 * @param taskId the task to train
 * @param dataDir folder with {@code train/} and {@code val/}, each with grade sub-folders (null when training from
 *     manifests)
 * @param taskFile the task file the task came from (null: a built-in task), for the reproduce command
 * @param trainManifest CSV of training images and labels ({@link org.rheumalens.dataset.Manifest}); null: dataDir
 * @param valManifest CSV of selection images; null with a train manifest: a seeded patient-grouped share of it
 * @param heldOutFraction the share of the train manifest held out for selection when there is no val manifest
 * @param outDir where the model, checkpoints and card go
 * @param network the architecture
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param learningRate peak Adam learning rate (after a one-epoch warm-up, cosine decay to 1% of it)
 * @param weightDecay L2 weight decay
 * @param emdWeight weight of the ordinal earth mover's term in the loss
 * @param classWeightPower class weights are frequency^-power (0: none, 1: fully balanced)
 * @param acquisitionAugmentation also augment how the image was acquired and stored (raw look, gamma, noise, bit
 *     depth; {@link org.rheumalens.preprocess.RandomAcquisition}), for grades that do not depend on contrast processing
 * @param archiveAugmentation also turn training crops into another archive's copy ({@link
 *     org.rheumalens.robustness.RandomArchiveCopy}: the fitted raw look, crop jitter, sharpening or softening, noise, windowing,
 *     JPEG or 10-16-bit storage), the differences the steadiness study measures
 * @param normalisation id of the task normalisation the network is trained with (null: the task's default); the
 *     model card keeps it so inference uses the same
 * @param teachers models whose mirrored-averaged probabilities (averaged over the teachers) become soft targets:
 *     knowledge distillation of a slower model or ensemble into this one network (empty: none)
 * @param distillWeight share of the soft target in each image's target distribution (the rest: its own grade)
 * @param neighbourSmoothing share of each grade's target mass moved to the adjacent grades ({@link TargetShaping};
 *     0: off), for ordinal grades that readers themselves give one grade apart
 * @param mixupAlpha mixup's Beta(alpha, alpha) parameter: each training image is blended with another of its batch
 *     and their targets alike ({@link TargetShaping}; 0: off)
 * @param consistencyWeight consistency training (0: off): every training crop is paired with another archive's copy
 *     of it ({@link org.rheumalens.robustness.RandomArchiveCopy} always on, the same geometric and intensity
 *     augmentation), both are graded against the crop's target, and this weight times the symmetric Kullback-Leibler
 *     divergence between the two predicted distributions is added to the loss ({@link ConsistencyLoss}), so the
 *     network gives two copies of a knee one grade
 * @param initialWeights model folder whose weights the network starts from instead of random ones (same network;
 *     null: random)
 * @param averageFromEpoch keep the weights of every epoch from this one on and, at the end, try their average
 *     ({@link WeightAveraging}; selected only where it beats the best single epoch on val; 0: off)
 * @param blendWith model folder (same network and normalisation, best fine-tuned from the same starting weights)
 *     whose weights are blended into this run's selected ones at the end ({@link WeightAveraging#combine}; null: none)
 * @param blendShare the blend's share of {@code blendWith}'s weights, in (0, 1); the rest are this run's
 * @param seed seeds shuffling, augmentation and initialisation
 * @param maxPerGrade cap on training images per grade (0: all), for quick runs on small subsets
 * @param maxValPerGrade cap on validation images per grade (0: all)
 */
public record TrainingConfig(
    String taskId,
    Path dataDir,
    Path taskFile,
    Path trainManifest,
    Path valManifest,
    double heldOutFraction,
    Path outDir,
    NetworkSpec network,
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    float emdWeight,
    double classWeightPower,
    boolean acquisitionAugmentation,
    boolean archiveAugmentation,
    String normalisation,
    List<Path> teachers,
    double distillWeight,
    double neighbourSmoothing,
    double mixupAlpha,
    double consistencyWeight,
    Path initialWeights,
    int averageFromEpoch,
    Path blendWith,
    double blendShare,
    long seed,
    int maxPerGrade,
    int maxValPerGrade) {

  public TrainingConfig {
    if (dataDir == null && trainManifest == null) {
      throw new IllegalArgumentException("training needs a data folder (train/, val/) or a train manifest");
    }
    // Cards written before manifests have no held-out share: they read as 0 and mean the default.
    heldOutFraction = heldOutFraction == 0 ? DEFAULT_HELD_OUT : heldOutFraction;
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException("the held-out share must be between 0 and 1, not " + heldOutFraction);
    }
    Objects.requireNonNull(outDir, "outDir");
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
    }
    teachers = teachers == null ? List.of() : List.copyOf(teachers);
    if (distillWeight < 0 || distillWeight > 1) {
      throw new IllegalArgumentException("distillation weight must be in [0, 1], not " + distillWeight);
    }
    if (neighbourSmoothing < 0 || neighbourSmoothing >= 1) {
      throw new IllegalArgumentException("neighbour smoothing must be in [0, 1), not " + neighbourSmoothing);
    }
    if (mixupAlpha < 0 || Double.isNaN(mixupAlpha)) {
      throw new IllegalArgumentException("mixup alpha must be 0 (off) or positive, not " + mixupAlpha);
    }
    if (consistencyWeight < 0 || Double.isNaN(consistencyWeight)) {
      throw new IllegalArgumentException("consistency weight must be 0 (off) or positive, not " + consistencyWeight);
    }
    if (averageFromEpoch < 0 || averageFromEpoch > epochs) {
      throw new IllegalArgumentException("weight averaging must start at an epoch from 1 to " + epochs + " (0: off), not " + averageFromEpoch);
    }
    if (blendWith != null && !(blendShare > 0 && blendShare < 1)) {
      throw new IllegalArgumentException("the blend's share of " + blendWith + " must be between 0 and 1, not " + blendShare);
    }
  }

  /** The share of a train manifest held out for selection when no val manifest is given. */
  public static final double DEFAULT_HELD_OUT = 0.15;

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a config: data, output and task are required; the rest default to the bundled knee model's recipe. */
  public static final class Builder {
    private String taskId = "knee-kl";
    private Path dataDir;
    private Path taskFile;
    private Path trainManifest;
    private Path valManifest;
    private double heldOutFraction = DEFAULT_HELD_OUT;
    private Path outDir;
    private NetworkSpec network;
    private int epochs = 14;
    private int batchSize = 32;
    private float learningRate = 1.5e-3f;
    private float weightDecay = 1e-4f;
    private float emdWeight = 1f;
    private double classWeightPower = 0.5;
    private boolean acquisitionAugmentation;
    private boolean archiveAugmentation;
    private String normalisation;
    private List<Path> teachers = List.of();
    private double distillWeight = 0.7;
    private double neighbourSmoothing;
    private double mixupAlpha;
    private double consistencyWeight;
    private Path initialWeights;
    private int averageFromEpoch;
    private Path blendWith;
    private double blendShare;
    private long seed = 42;
    private int maxPerGrade;
    private int maxValPerGrade;

    public Builder setTask(String id) {
      this.taskId = id;
      return this;
    }

    public Builder setData(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Train from manifests instead of a data folder; {@code val} may be null (a patient-grouped share of train). */
    public Builder setManifests(Path train, Path val) {
      this.trainManifest = train;
      this.valManifest = val;
      return this;
    }

    public Builder optTaskFile(Path file) {
      this.taskFile = file;
      return this;
    }

    public Builder optHeldOutFraction(double fraction) {
      this.heldOutFraction = fraction;
      return this;
    }

    public Builder setOutput(Path dir) {
      this.outDir = dir;
      return this;
    }

    public Builder optNetwork(NetworkSpec spec) {
      this.network = spec;
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

    public Builder optEmdWeight(float emdWeight) {
      this.emdWeight = emdWeight;
      return this;
    }

    public Builder optClassWeightPower(double power) {
      this.classWeightPower = power;
      return this;
    }

    public Builder optAcquisitionAugmentation(boolean on) {
      this.acquisitionAugmentation = on;
      return this;
    }

    public Builder optArchiveAugmentation(boolean on) {
      this.archiveAugmentation = on;
      return this;
    }

    public Builder optNormalisation(String id) {
      this.normalisation = id;
      return this;
    }

    public Builder optTeachers(List<Path> teachers) {
      this.teachers = List.copyOf(teachers);
      return this;
    }

    public Builder optDistillWeight(double weight) {
      this.distillWeight = weight;
      return this;
    }

    public Builder optNeighbourSmoothing(double share) {
      this.neighbourSmoothing = share;
      return this;
    }

    public Builder optMixup(double alpha) {
      this.mixupAlpha = alpha;
      return this;
    }

    public Builder optConsistency(double weight) {
      this.consistencyWeight = weight;
      return this;
    }

    public Builder optInitialWeights(Path modelDir) {
      this.initialWeights = modelDir;
      return this;
    }

    public Builder optAverageFromEpoch(int epoch) {
      this.averageFromEpoch = epoch;
      return this;
    }

    /** Blends {@code modelDir}'s weights into the selected ones at the end, {@code share} of them (0.5: the mean). */
    public Builder optBlendWith(Path modelDir, double share) {
      this.blendWith = modelDir;
      this.blendShare = share;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optMaxPerGrade(int max) {
      this.maxPerGrade = max;
      return this;
    }

    public Builder optMaxValPerGrade(int max) {
      this.maxValPerGrade = max;
      return this;
    }

    public TrainingConfig build() {
      NetworkSpec spec = network != null ? network : NetworkSpec.resnet18Half(5);
      return new TrainingConfig(
          taskId, dataDir, taskFile, trainManifest, valManifest, heldOutFraction, outDir, spec, epochs, batchSize, learningRate, weightDecay, emdWeight,
          classWeightPower, acquisitionAugmentation, archiveAugmentation, normalisation, teachers, distillWeight, neighbourSmoothing, mixupAlpha, consistencyWeight, initialWeights, averageFromEpoch, blendWith, blendShare, seed, maxPerGrade, maxValPerGrade);
    }
  }
}
