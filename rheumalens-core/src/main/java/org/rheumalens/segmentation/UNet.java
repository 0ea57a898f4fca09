package org.rheumalens.segmentation;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Builds the DJL block for a {@link SegmentationNetworkSpec}: N x 1 x S x S in, N x classes x S x S logits out. Each
 * level is two 3x3 convolutions, then a parallel block whose one branch passes the level's maps through untouched and
 * whose other goes down a level (max pool, the next level, then back up); the two are joined by concatenating
 * channels, which is the U-Net's skip connection, and two more convolutions merge them. The way up is a 1x1
 * convolution to the level's width at the low resolution and nearest-neighbour upsampling, not the paper's 2x2
 * transposed convolution, which DJL's PyTorch engine does not implement (deconvolution throws there); the 3x3
 * convolutions after the join do the spatial mixing. Written with DJL's own blocks only, so that saving, loading and
 * parameter naming work as for the graders.
 */
public final class UNet {

  private static final float BATCH_NORM_EPSILON = 1e-5f;

  private UNet() {}

  public static Block build(SegmentationNetworkSpec spec) {
    return new SequentialBlock()
        .add(level(spec, 0))
        .add(Conv2d.builder().setFilters(spec.classes()).setKernelShape(new Shape(1, 1)).build());
  }

  private static Block level(SegmentationNetworkSpec spec, int level) {
    int width = spec.widthAt(level);
    if (level == spec.depth()) {
      return doubleConv(width);
    }
    Block deeper = new SequentialBlock()
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(level(spec, level + 1))
        .add(Conv2d.builder().setFilters(width).setKernelShape(new Shape(1, 1)).build())
        .add(new LambdaBlock(UNet::upsample, "upsample-nearest-2x"));
    return new SequentialBlock()
        .add(doubleConv(width))
        .add(new ParallelBlock(UNet::concatChannels, List.of(Blocks.identityBlock(), deeper)))
        .add(doubleConv(width));
  }

  /** Each value copied into a 2x2 block: nearest-neighbour upsampling, which DJL's PyTorch engine runs natively. */
  static NDList upsample(NDList input) {
    return new NDList(input.singletonOrThrow().repeat(2, 2).repeat(3, 2));
  }

  private static NDList concatChannels(List<NDList> branches) {
    return new NDList(NDArrays.concat(new NDList(branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow()), 1));
  }

  private static Block doubleConv(int width) {
    return new SequentialBlock()
        .add(conv3x3(width)).add(batchNorm()).add(Activation.reluBlock())
        .add(conv3x3(width)).add(batchNorm()).add(Activation.reluBlock());
  }

  /** No bias: the batch norm that follows has its own shift. */
  private static Block conv3x3(int filters) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
        .optBias(false).build();
  }

  private static Block batchNorm() {
    return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
  }
}
