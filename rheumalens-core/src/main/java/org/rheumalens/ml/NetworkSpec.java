package org.rheumalens.ml;

import java.util.List;

/**
 * The architecture of a grading network, stored in the model card so a saved model's block can be rebuilt in code
 * (DJL .params files hold weights only).
 *
 * @param family architecture family; "resnet-basic" is a ResNet with basic (two 3x3 conv) residual units
 * @param inputChannels 1 for grey images, 3 for colour (R, G, B); the presets take 1
 * @param classes output grades
 * @param widths filters per stage
 * @param blocksPerStage residual units per stage ([2,2,2,2] is ResNet-18's layout)
 * @param dropout dropout before the classifier
 */
public record NetworkSpec(
    String family, int inputChannels, int classes, List<Integer> widths, List<Integer> blocksPerStage, float dropout) {

  public NetworkSpec {
    if (widths.size() != blocksPerStage.size() || widths.isEmpty()) {
      throw new IllegalArgumentException("one block count per stage width is needed");
    }
    widths = List.copyOf(widths);
    blocksPerStage = List.copyOf(blocksPerStage);
  }

  /** ResNet-18 layout (2,2,2,2 basic units) at half the standard width: 2.8 M parameters, ~4x fewer FLOPs. */
  public static NetworkSpec resnet18Half(int classes) {
    return new NetworkSpec("resnet-basic", 1, classes, List.of(32, 64, 128, 256), List.of(2, 2, 2, 2), 0.2f);
  }

  /**
   * ResNet-18 layout at a quarter of the standard width (0.7 M parameters): for cohorts of a few hundred images,
   * where the half-width network has more capacity than the data can fill.
   */
  public static NetworkSpec small(int classes) {
    return new NetworkSpec("resnet-basic", 1, classes, List.of(16, 32, 64, 128), List.of(2, 2, 2, 2), 0.2f);
  }

  /** This network taking {@code channels} input channels (a task's {@code input.channels}). */
  public NetworkSpec withInputChannels(int channels) {
    return new NetworkSpec(family, channels, classes, widths, blocksPerStage, dropout);
  }

  /** A network by preset name, as task files and {@code train --network} name them. */
  public static NetworkSpec preset(String name, int classes) {
    return switch (name) {
      case "resnet18-half" -> resnet18Half(classes);
      case "small" -> small(classes);
      case "tiny" -> tiny(classes);
      default -> throw new IllegalArgumentException("unknown network '" + name + "' (resnet18-half, small, tiny)");
    };
  }

  /** A very small network for tests and CI smoke training. */
  public static NetworkSpec tiny(int classes) {
    return new NetworkSpec("resnet-basic", 1, classes, List.of(8, 16), List.of(1, 1), 0f);
  }
}
