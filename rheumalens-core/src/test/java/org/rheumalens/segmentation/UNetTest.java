package org.rheumalens.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class UNetTest {

  @Test
  void upsamplingCopiesEachValueIntoATwoByTwoBlock() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      NDArray up = UNet.upsample(new NDList(x)).singletonOrThrow();
      assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
      assertThat(up.toFloatArray()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }
  }

  @Test
  void givesOneLogitPerClassAndPixel() {
    SegmentationNetworkSpec spec = SegmentationNetworkSpec.unet(3, 4, 3);
    try (Model model = Model.newInstance("unet-test")) {
      model.setBlock(UNet.build(spec));
      model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 1, 32, 32));
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDArray out = model.getBlock().forward(new ParameterStore(manager, false),
            new NDList(manager.randomNormal(new Shape(2, 1, 32, 32))), false).singletonOrThrow();
        assertThat(out.getShape()).isEqualTo(new Shape(2, 3, 32, 32));
      }
    }
  }

  @Test
  void refusesSizesTheEncoderCannotHalve() {
    assertThatThrownBy(() -> SegmentationNetworkSpec.unet(3, 4, 3).checkInputSize(36, 36))
        .hasMessageContaining("multiple of 8");
    assertThatThrownBy(() -> SegmentationNetworkSpec.unet(1, 4, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
