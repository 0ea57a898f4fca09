package org.rheumalens.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained backbone (everything before the pooling head) for inference, with each batch normalisation folded into
 * the convolution before it: {@code w' = w * g / sqrt(v + eps)}, {@code b' = beta - m * g / sqrt(v + eps)}. Inference
 * then skips one full pass over every activation per convolution (20 of them in a ResNet-18), with the same result
 * to float rounding. Built from the blocks {@link ResidualNetwork} makes; training keeps the unfolded network.
 */
final class FoldedBackbone implements AutoCloseable {

  /** One step of the folded network. */
  private interface Step {
    NDArray apply(NDArray x);
  }

  private final NDManager weights;
  private final List<Step> steps;

  private FoldedBackbone(NDManager weights, List<Step> steps) {
    this.weights = weights;
    this.steps = steps;
  }

  /** Folds {@code backbone} (loaded, trained blocks); the folded weights live in a child of {@code parent}. */
  static FoldedBackbone fold(List<Block> backbone, NDManager parent) {
    NDManager weights = parent.newSubManager();
    try {
      return new FoldedBackbone(weights, sequence(backbone, new ParameterStore(weights, false), weights));
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  /** The last residual stage's maps for a batch {@code (N, C, H, W)}; call with autograd recording off. */
  NDArray forward(NDArray input) {
    return run(steps, input);
  }

  private static List<Step> sequence(List<Block> blocks, ParameterStore store, NDManager weights) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      if (block instanceof Conv2d conv && i + 1 < blocks.size() && blocks.get(i + 1) instanceof BatchNorm norm) {
        steps.add(foldedConv(conv, norm, weights));
        i++;
      } else if (block instanceof ParallelBlock parallel) {
        steps.add(residual(parallel, store, weights));
      } else if (block instanceof SequentialBlock sequential) {
        steps.addAll(sequence(children(sequential), store, weights));
      } else if (block instanceof Conv2d || block instanceof BatchNorm) {
        throw new IllegalArgumentException("cannot fold " + block + ": expected convolution then batch norm");
      } else {
        // Parameter-free blocks (ReLU, pooling, identity) run as they are.
        steps.add(x -> block.forward(store, new NDList(x), false).singletonOrThrow());
      }
    }
    return steps;
  }

  /** A residual unit: the sum of its two branches (how {@link ResidualNetwork} joins them). */
  private static Step residual(ParallelBlock parallel, ParameterStore store, NDManager weights) {
    List<Block> branches = new ArrayList<>(parallel.getChildren().values());
    if (branches.size() != 2) {
      throw new IllegalArgumentException("a residual unit has two branches, found " + branches.size());
    }
    List<Step> main = sequence(List.of(branches.get(0)), store, weights);
    List<Step> shortcut = sequence(List.of(branches.get(1)), store, weights);
    return x -> {
      NDArray residual = run(main, x);
      NDArray identity = run(shortcut, x);
      // Adding in place saves an allocation, but must never write into the unit's input.
      NDArray sum = residual != x ? residual.addi(identity) : residual.add(identity);
      if (identity != x) {
        identity.close();
      }
      return sum;
    };
  }

  /**
   * Runs {@code steps} on {@code x}, freeing each intermediate as soon as the next step has read it ({@code x} itself
   * stays): the native allocator then reuses a few warm buffers instead of holding every activation until the
   * caller's manager closes.
   */
  private static NDArray run(List<Step> steps, NDArray x) {
    NDArray y = x;
    for (Step step : steps) {
      NDArray next = step.apply(y);
      if (y != x && next != y) {
        y.close();
      }
      y = next;
    }
    return y;
  }

  private static Step foldedConv(Conv2d conv, BatchNorm norm, NDManager weights) {
    NDArray weight = parameter(conv, "weight");
    float[] w = weight.toFloatArray();
    float[] gamma = parameter(norm, "gamma").toFloatArray();
    float[] beta = parameter(norm, "beta").toFloatArray();
    float[] mean = parameter(norm, "runningMean").toFloatArray();
    float[] variance = parameter(norm, "runningVar").toFloatArray();
    float[] bias = conv.isIncludeBias() ? parameter(conv, "bias").toFloatArray() : new float[gamma.length];
    int perFilter = w.length / gamma.length;
    float[] foldedBias = new float[gamma.length];
    for (int f = 0; f < gamma.length; f++) {
      double scale = gamma[f] / Math.sqrt(variance[f] + ResidualNetwork.BATCH_NORM_EPSILON);
      for (int k = f * perFilter; k < (f + 1) * perFilter; k++) {
        w[k] = (float) (w[k] * scale);
      }
      foldedBias[f] = (float) (beta[f] + (bias[f] - mean[f]) * scale);
    }
    NDArray foldedWeight = weights.create(w, weight.getShape());
    NDArray foldedBiasArray = weights.create(foldedBias, new Shape(foldedBias.length));
    Shape stride = conv.getStride();
    Shape padding = conv.getPadding();
    Shape dilation = conv.getDilation();
    int groups = conv.getGroups();
    return x -> Conv2d.conv2d(x, foldedWeight, foldedBiasArray, stride, padding, dilation, groups).singletonOrThrow();
  }

  private static NDArray parameter(Block block, String name) {
    return block.getParameters().values().stream()
        .filter(p -> p.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(block + " has no parameter " + name))
        .getArray();
  }

  private static List<Block> children(SequentialBlock block) {
    return new ArrayList<>(block.getChildren().values());
  }

  @Override
  public void close() {
    weights.close();
  }
}
