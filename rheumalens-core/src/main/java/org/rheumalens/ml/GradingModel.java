package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.Plane;
import org.rheumalens.tasks.GradingTask;

/**
 * A trained grading network loaded from its folder (weights + model card). Runs the network block by block so that
 * one forward pass yields the grade probabilities, the pooled features the out-of-distribution gate reads and, when
 * asked, the last feature maps with gradients for Grad-CAM (one backward pass through the small head only).
 * Thread-safe: calls take turns behind a lock, as DJL predictors would.
 */
public final class GradingModel implements AutoCloseable {

  private static final int MAX_BATCH = 32;

  private final ModelCard card;
  private final Model model;
  private final List<Block> head;
  private final FoldedBackbone foldedBackbone;
  private final ReentrantLock lock = new ReentrantLock();
  /** Which units of the last layer belong to which output; the primary output's come first. */
  private final OutputHeads heads;

  private GradingModel(ModelCard card, Model model) {
    this.card = card;
    this.model = model;
    List<Block> children = new ArrayList<>(((SequentialBlock) model.getBlock()).getChildren().values());
    int split = children.size() - ResidualNetwork.headBlocks(card.network());
    this.head = List.copyOf(children.subList(split, children.size()));
    // Loaded weights never change afterwards, so the batch norms can be folded once.
    this.foldedBackbone = FoldedBackbone.fold(children.subList(0, split), model.getNDManager());
    this.heads = OutputHeads.of(card.gradingTask().definition());
    int taskChannels = card.gradingTask().inputChannels();
    if (card.network().inputChannels() != taskChannels) {
      throw new IllegalArgumentException("model " + card.name() + ": its network takes " + card.network().inputChannels()
          + " input channel(s) but its task gives " + taskChannels);
    }
    if (heads.totalUnits() != card.network().classes()) {
      throw new IllegalArgumentException("model " + card.name() + ": its network has " + card.network().classes()
          + " output units but its task's outputs need " + heads.totalUnits());
    }
  }

  /** Loads the model in {@code dir}: rebuilds the network from the card, then reads the weights. */
  public static GradingModel load(Path dir) throws IOException {
    ModelCard card = ModelCard.read(dir);
    Model model = Model.newInstance(card.taskId(), Device.cpu());
    try {
      model.setBlock(ResidualNetwork.build(card.network()));
      GradingTrainer.loadWeights(model, dir, card.name());
      return new GradingModel(card, model);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public ModelCard card() {
    return card;
  }

  /** Where each of the task's outputs sits in the network's last layer. */
  public OutputHeads heads() {
    return heads;
  }

  /** Grade probabilities, one row per plane, under the card's inference policy and calibration. */
  public float[][] predict(List<Plane> planes) {
    return predict(planes, card.inference());
  }

  /** Grade probabilities under {@code policy}: one pass, then a mirrored pass for the images the policy picks. */
  public float[][] predict(List<Plane> planes, InferencePolicy policy) {
    float[][] logits = forward(planes, null).stream().map(NetworkOutput::logits).toArray(float[][]::new);
    float[][] mirror = mirrorLogits(planes, logits, policy);
    float[][] probabilities = new float[planes.size()][];
    for (int i = 0; i < planes.size(); i++) {
      probabilities[i] = probabilities(logits[i], mirror[i]);
    }
    return probabilities;
  }

  /**
   * Logits of the mirrored images (averaged with the policy's further views, if any) for the planes {@code policy}
   * sends through mirrored, given their single-pass {@code logits}; null rows for the others (all null without flip
   * averaging).
   */
  public float[][] mirrorLogits(List<Plane> planes, float[][] logits, InferencePolicy policy) {
    float[][] mirror = new float[planes.size()][];
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < planes.size(); i++) {
      if (policy.needsMirror(logits[i])) {
        picked.add(i);
      }
    }
    if (!picked.isEmpty()) {
      int perImage = 1 + policy.views();
      List<Plane> views = new ArrayList<>(picked.size() * perImage);
      for (int i : picked) {
        views.addAll(TestTimeViews.of(planes.get(i), policy.views()));
      }
      List<NetworkOutput> out = forward(views, null);
      for (int k = 0; k < picked.size(); k++) {
        mirror[picked.get(k)] = TestTimeViews.meanLogits(out.subList(k * perImage, (k + 1) * perImage));
      }
    }
    return mirror;
  }

  /** The policy's probabilities from one image's logits and, under flip averaging, its mirror's (else null). */
  public float[] probabilities(float[] logits, float[] mirrorLogits) {
    return probabilities(logits, mirrorLogits, temperature());
  }

  /**
   * Softmax of {@code logits / temperature}, averaged with the mirror's when {@code mirrorLogits} is given: what a
   * model reports at any temperature (calibration fits the temperature through this).
   */
  public static float[] probabilities(float[] logits, float[] mirrorLogits, double temperature) {
    float[] p = Softmax.of(logits, temperature);
    if (mirrorLogits != null) {
      float[] m = Softmax.of(mirrorLogits, temperature);
      for (int k = 0; k < p.length; k++) {
        p[k] = (p[k] + m[k]) / 2;
      }
    }
    return p;
  }

  /** Softmax of the logits divided by the card's fitted temperature (1 before calibration). */
  public float[] probabilities(float[] logits) {
    return Softmax.of(logits, temperature());
  }

  public double temperature() {
    return card.oversight() == null ? 1.0 : card.oversight().calibration().temperature();
  }

  /** The grade the card's decision rule reads off these probabilities. */
  public int decide(float[] probabilities) {
    return card.inference().decision().decide(probabilities);
  }

  /** The task normalisation this network was trained with, which its inputs must go through. */
  public Pipeline normalisation(GradingTask task) {
    return task.normalisation(card.normalisationId()).pipeline();
  }

  /**
   * Runs the network over {@code planes} in chunks. When {@code camTargets} is given, also returns for each image the
   * last feature maps and the gradient of the target grade's logit (a negative target means the grade the model
   * decides), from one backward pass through the pooling and classifier.
   */
  public List<NetworkOutput> forward(List<Plane> planes, int[] camTargets) {
    List<NetworkOutput> outputs = new ArrayList<>(planes.size());
    lock.lock();
    try {
      for (int start = 0; start < planes.size(); start += MAX_BATCH) {
        int end = Math.min(planes.size(), start + MAX_BATCH);
        int[] targets = camTargets == null ? null : java.util.Arrays.copyOfRange(camTargets, start, end);
        outputs.addAll(forwardChunk(planes.subList(start, end), targets));
      }
      return outputs;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Monte Carlo dropout over the classifier head: {@code samples} passes per pooled feature vector, each with its own
   * dropout mask at the network's dropout rate, returning logits ({@code [image][sample][grade]}). Masks come from a
   * seeded generator, the same for every image, so an input always gets the same estimate. Costs a few small matrix products, not another
   * pass through the convolutional layers; a network without dropout gives identical samples.
   */
  public float[][][] dropoutLogits(List<float[]> features, int samples, long seed) {
    float[][][] rows = dropoutRows(features, samples, seed);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = primaryLogits(rows[i]);
    }
    return rows;
  }

  /** The primary output's logits of each full last-layer row (e.g. one image's dropout samples). */
  public float[][] primaryLogits(float[][] rows) {
    float[][] logits = new float[rows.length][];
    for (int s = 0; s < rows.length; s++) {
      logits[s] = heads.primary(rows[s]);
    }
    return logits;
  }

  /** As {@link #dropoutLogits} with every output's units (full rows of the last layer). */
  public float[][][] dropoutRows(List<float[]> features, int samples, long seed) {
    int n = features.size();
    int channels = features.get(0).length;
    float rate = card.network().dropout();
    float[] flat = new float[n * samples * channels];
    for (int i = 0; i < n; i++) {
      // The same masks for every image: its estimate does not depend on the batch it came in.
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
      for (int s = 0; s < samples; s++) {
        int offset = (i * samples + s) * channels;
        for (int c = 0; c < channels; c++) {
          boolean kept = rate <= 0 || random.nextDouble() >= rate;
          flat[offset + c] = kept ? features.get(i)[c] / (1 - rate) : 0f;
        }
      }
    }
    float[][][] out = new float[n][samples][];
    lock.lock();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray pooled = manager.create(flat, new Shape((long) n * samples, channels, 1, 1));
      float[][] logits = withoutAutograd(() -> rows(runBlocks(head, new ParameterStore(manager, false), pooled, false)));
      for (int i = 0; i < n; i++) {
        for (int s = 0; s < samples; s++) {
          out[i][s] = logits[i * samples + s];
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private List<NetworkOutput> forwardChunk(List<Plane> planes, int[] camTargets) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(manager, false);
      if (camTargets == null) {
        return withoutAutograd(() -> {
          NDArray maps = foldedBackbone.forward(ModelInput.batch(manager, planes));
          NDArray logits = runBlocks(head, store, maps, false);
          return outputs(rows(logits), rows(maps.mean(new int[] {3}).mean(new int[] {2})), null);
        });
      }
      // The backbone needs no graph either: Grad-CAM differentiates from the last maps on, so they become the leaf.
      NDArray maps = withoutAutograd(() -> foldedBackbone.forward(ModelInput.batch(manager, planes)));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        maps.setRequiresGradient(true);
        NDArray logits = runBlocks(head, store, maps, false);
        float[][] logitRows = rows(logits);
        int[] targets = resolveTargets(camTargets, logitRows);
        NDArray oneHot = manager.create(oneHot(targets, logitRows[0].length), logits.getShape());
        collector.backward(logits.mul(oneHot).sum());
        float[][] pooled = rows(maps.mean(new int[] {3}).mean(new int[] {2}));
        return outputs(logitRows, pooled, featureMaps(maps, maps.getGradient(), targets));
      }
    }
  }

  /** Logits from the network's own blocks, batch norms unfolded: the reference {@link FoldedBackbone} is checked against. */
  float[][] unfoldedLogits(List<Plane> planes) {
    lock.lock();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      return withoutAutograd(() -> rows(model.getBlock()
          .forward(new ParameterStore(manager, false), new NDList(ModelInput.batch(manager, planes)), false)
          .singletonOrThrow()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} with PyTorch's autograd recording off (grad mode is per thread and on by default): a plain
   * prediction then builds no backward graph for the weights, which saves time and memory.
   */
  static <T> T withoutAutograd(java.util.function.Supplier<T> work) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(was);
    }
  }

  private int[] resolveTargets(int[] requested, float[][] logits) {
    int[] targets = new int[requested.length];
    for (int i = 0; i < requested.length; i++) {
      targets[i] = requested[i] >= 0 ? requested[i] : decide(probabilities(heads.primary(logits[i])));
      if (targets[i] >= heads.primaryUnits()) {
        throw new IllegalArgumentException("grade " + targets[i] + " does not exist (task has " + heads.primaryUnits() + ")");
      }
    }
    return targets;
  }

  private static NDArray runBlocks(List<Block> blocks, ParameterStore store, NDArray input, boolean training) {
    NDList x = new NDList(input);
    for (Block block : blocks) {
      x = block.forward(store, x, training);
    }
    return x.singletonOrThrow();
  }

  private List<NetworkOutput> outputs(float[][] logits, float[][] features, List<FeatureMaps> maps) {
    List<NetworkOutput> out = new ArrayList<>(logits.length);
    for (int i = 0; i < logits.length; i++) {
      out.add(new NetworkOutput(heads.primary(logits[i]), features[i], maps == null ? null : maps.get(i),
          heads.rest(logits[i])));
    }
    return out;
  }

  private static List<FeatureMaps> featureMaps(NDArray activations, NDArray gradients, int[] targets) {
    Shape shape = activations.getShape();
    int channels = (int) shape.get(1);
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    int size = channels * height * width;
    float[] a = activations.toFloatArray();
    float[] g = gradients.toFloatArray();
    List<FeatureMaps> out = new ArrayList<>(targets.length);
    for (int i = 0; i < targets.length; i++) {
      out.add(new FeatureMaps(targets[i], channels, height, width,
          java.util.Arrays.copyOfRange(a, i * size, (i + 1) * size), java.util.Arrays.copyOfRange(g, i * size, (i + 1) * size)));
    }
    return out;
  }

  private static float[] oneHot(int[] targets, int classes) {
    float[] out = new float[targets.length * classes];
    for (int i = 0; i < targets.length; i++) {
      out[i * classes + targets[i]] = 1f;
    }
    return out;
  }

  /** Copies an N x K array (or N x K x 1 x 1) into rows. */
  private static float[][] rows(NDArray array) {
    int n = (int) array.getShape().get(0);
    int k = (int) (array.getShape().size() / n);
    float[] flat = array.toFloatArray();
    float[][] out = new float[n][k];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, r * k, out[r], 0, k);
    }
    return out;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      foldedBackbone.close();
      model.close();
    } finally {
      lock.unlock();
    }
  }
}
