package org.rheumalens.segmentation;

import org.rheumalens.training.WeightFiles;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rheumalens.preprocess.Plane;

/**
 * A trained segmentation network loaded from its folder (weights + {@link SegmentationCard}). Predicts with autograd
 * off; calls take turns behind a lock, since a DJL block's forward pass is not thread-safe.
 */
public final class SegmentationModel implements AutoCloseable {

  private static final int MAX_BATCH = 16;

  private final SegmentationCard card;
  private final Model model;
  private final ReentrantLock lock = new ReentrantLock();

  private SegmentationModel(SegmentationCard card, Model model) {
    this.card = card;
    this.model = model;
  }

  /** Loads the model in {@code dir}: rebuilds the network from the card, then reads the weights. */
  public static SegmentationModel load(Path dir) throws IOException {
    SegmentationCard card = SegmentationCard.read(dir);
    Model model = Model.newInstance(card.name(), Device.cpu());
    try {
      model.setBlock(UNet.build(card.network()));
      WeightFiles.load(model, dir, card.name(), SegmentationCard.FILE);
      return new SegmentationModel(card, model);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public SegmentationCard card() {
    return card;
  }

  public List<String> classes() {
    return card.classes();
  }

  /** The side of the square images the network takes. */
  public int inputSize() {
    return card.inputSize();
  }

  public SegmentationResult predict(Plane image) {
    return predict(List.of(image)).get(0);
  }

  /** One result per image; every image must be {@link #inputSize()} square. */
  public List<SegmentationResult> predict(List<Plane> images) {
    for (Plane image : images) {
      if (image.width() != card.inputSize() || image.height() != card.inputSize()) {
        throw new IllegalArgumentException("this segmentation model takes " + card.inputSize() + "x" + card.inputSize()
            + " images, not " + image.width() + "x" + image.height() + " (resize them as for training)");
      }
    }
    List<SegmentationResult> out = new ArrayList<>(images.size());
    lock.lock();
    try {
      for (int start = 0; start < images.size(); start += MAX_BATCH) {
        out.addAll(predictChunk(images.subList(start, Math.min(images.size(), start + MAX_BATCH))));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private List<SegmentationResult> predictChunk(List<Plane> images) {
    int size = card.inputSize();
    int perImage = card.classes().size() * size * size;
    float[] all;
    // Grad mode is per thread and on by default; off, the pass records no graph for the weights.
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray logits = model.getBlock().forward(new ParameterStore(manager, false),
          new NDList(SegmentationInput.batch(manager, images)), false).singletonOrThrow();
      all = logits.softmax(1).toFloatArray();
    } finally {
      JniUtils.setGradMode(grad);
    }
    List<SegmentationResult> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      float[] probabilities = java.util.Arrays.copyOfRange(all, i * perImage, (i + 1) * perImage);
      out.add(SegmentationResult.of(card.classes(), size, size, probabilities));
    }
    return out;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      model.close();
    } finally {
      lock.unlock();
    }
  }
}
