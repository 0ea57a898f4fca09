package org.rheumalens.ml;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Builds the DJL block for a {@link NetworkSpec}: a ResNet (He et al. 2016) stem, stages of basic residual units,
 * global average pooling and a linear classifier producing one logit per grade. Written out here rather than taken
 * from the model zoo because DJL's ResNetV1 uses bottleneck units at every depth.
 */
public final class ResidualNetwork {

  /** Batch normalisation's epsilon, stated so that {@link FoldedBackbone} folds with the same value. */
  static final float BATCH_NORM_EPSILON = 1e-5f;

  private ResidualNetwork() {}

  public static Block build(NetworkSpec spec) {
    if (!"resnet-basic".equals(spec.family())) {
      throw new IllegalArgumentException("unknown network family " + spec.family());
    }
    SequentialBlock net = new SequentialBlock();
    int stemWidth = spec.widths().get(0);
    net.add(conv(stemWidth, 7, 2))
        .add(batchNorm())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    int inWidth = stemWidth;
    for (int stage = 0; stage < spec.widths().size(); stage++) {
      int width = spec.widths().get(stage);
      for (int unit = 0; unit < spec.blocksPerStage().get(stage); unit++) {
        int stride = stage > 0 && unit == 0 ? 2 : 1;
        net.add(basicUnit(width, stride, inWidth != width || stride != 1));
        inWidth = width;
      }
    }
    net.add(Pool.globalAvgPool2dBlock());
    if (spec.dropout() > 0) {
      net.add(Dropout.builder().optRate(spec.dropout()).build());
    }
    net.add(Linear.builder().setUnits(spec.classes()).build());
    return net;
  }

  /**
   * How many of the network's last children form the head (global pooling, dropout when present, classifier); the
   * children before them end with the last residual stage, whose maps Grad-CAM reads.
   */
  public static int headBlocks(NetworkSpec spec) {
    return spec.dropout() > 0 ? 3 : 2;
  }

  private static Block basicUnit(int width, int stride, boolean projectShortcut) {
    SequentialBlock residual =
        new SequentialBlock()
            .add(conv(width, 3, stride))
            .add(batchNorm())
            .add(Activation.reluBlock())
            .add(conv(width, 3, 1))
            .add(batchNorm());
    Block shortcut =
        projectShortcut
            ? new SequentialBlock().add(conv(width, 1, stride)).add(batchNorm())
            : Blocks.identityBlock();
    return new SequentialBlock()
        .add(new ParallelBlock(ResidualNetwork::sumBranches, List.of(residual, shortcut)))
        .add(Activation.reluBlock());
  }

  private static NDList sumBranches(List<NDList> branches) {
    return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
  }

  private static Block conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false)
        .build();
  }

  private static Block batchNorm() {
    return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
  }
}
