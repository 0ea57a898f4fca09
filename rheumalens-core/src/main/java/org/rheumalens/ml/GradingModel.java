package org.rheumalens.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rheumalens.preprocess.Plane;

/**
 * A trained grading network loaded from its folder (weights + model card), predicting grade probabilities for
 * preprocessed planes. Thread-safe: DJL predictors are not, so calls take turns behind a lock.
 */
public final class GradingModel implements AutoCloseable {

  private static final int MAX_BATCH = 32;

  private final ModelCard card;
  private final Model model;
  private final Predictor<List<Plane>, float[][]> predictor;
  private final ReentrantLock lock = new ReentrantLock();

  private GradingModel(ModelCard card, Model model) {
    this.card = card;
    this.model = model;
    this.predictor = model.newPredictor(new PlaneBatchTranslator());
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

  /** Grade probabilities, one row per plane, under the card's inference policy. */
  public float[][] predict(List<Plane> planes) {
    return predict(planes, card.inference().flipAveraging());
  }

  /** Grade probabilities, averaged with the mirrored images' when {@code flipAveraging} (one batch for both). */
  public float[][] predict(List<Plane> planes, boolean flipAveraging) {
    if (!flipAveraging) {
      return forward(planes);
    }
    List<Plane> both = new java.util.ArrayList<>(planes);
    planes.forEach(p -> both.add(mirrored(p)));
    float[][] all = forward(both);
    float[][] averaged = new float[planes.size()][];
    for (int i = 0; i < planes.size(); i++) {
      float[] a = all[i];
      float[] b = all[i + planes.size()];
      averaged[i] = new float[a.length];
      for (int k = 0; k < a.length; k++) {
        averaged[i][k] = (a[k] + b[k]) / 2;
      }
    }
    return averaged;
  }

  /** The grade the card's decision rule reads off these probabilities. */
  public int decide(float[] probabilities) {
    return card.inference().decision().decide(probabilities);
  }

  private static Plane mirrored(Plane plane) {
    int w = plane.width();
    float[] out = new float[plane.data().length];
    for (int y = 0; y < plane.height(); y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = plane.data()[y * w + (w - 1 - x)];
      }
    }
    return new Plane(w, plane.height(), out);
  }

  /** Runs the network in chunks: one forward pass over hundreds of 224x224 images would need gigabytes. */
  private float[][] forward(List<Plane> planes) {
    float[][] out = new float[planes.size()][];
    lock.lock();
    try {
      for (int start = 0; start < planes.size(); start += MAX_BATCH) {
        float[][] chunk = predictor.predict(planes.subList(start, Math.min(planes.size(), start + MAX_BATCH)));
        System.arraycopy(chunk, 0, out, start, chunk.length);
      }
      return out;
    } catch (TranslateException e) {
      throw new IllegalStateException("model " + card.name() + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      predictor.close();
      model.close();
    } finally {
      lock.unlock();
    }
  }

  /** Planes in, softmax rows out; arrays live in the per-call manager DJL closes after each prediction. */
  private static final class PlaneBatchTranslator implements Translator<List<Plane>, float[][]> {
    @Override
    public ai.djl.translate.Batchifier getBatchifier() {
      return null; // the input is already a batch
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<Plane> planes) {
      return new NDList(ModelInput.batch(ctx.getNDManager(), planes));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
      NDArray probabilities = list.singletonOrThrow().softmax(1);
      int rows = (int) probabilities.getShape().get(0);
      int classes = (int) probabilities.getShape().get(1);
      float[] flat = probabilities.toFloatArray();
      float[][] out = new float[rows][classes];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(flat, r * classes, out[r], 0, classes);
      }
      return out;
    }
  }
}
