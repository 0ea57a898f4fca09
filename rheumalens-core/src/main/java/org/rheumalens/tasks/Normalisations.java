package org.rheumalens.tasks;

import java.util.List;
import java.util.Map;
import org.rheumalens.preprocess.BackgroundFlattening;
import org.rheumalens.preprocess.Clahe;
import org.rheumalens.preprocess.HistogramEqualisation;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.SharpnessEqualisation;
import org.rheumalens.preprocess.Smoothing;

/** The named ways a model-sized plane becomes network input; a task file lists the ids it allows. */
public final class Normalisations {

  private static final Map<String, Pipeline> BY_ID = Map.of(
      "clahe", Pipeline.builder().add("clahe(8x8 tiles, clip 2.0)", new Clahe(8, 8, 2.0)).build(),
      // Rank-based, so a gamma curve, bit depth, window or exposure gradient changes little of the input.
      "flat-equalised", Pipeline.builder()
          .add("smoothing(sigma 0.6 px)", new Smoothing(0.6))
          .add("background-flattening(sigma 56 px)", new BackgroundFlattening(56))
          .add("histogram-equalisation(4096 bins)", new HistogramEqualisation(4096))
          .add("clahe(8x8 tiles, clip 3.0)", new Clahe(8, 8, 3.0))
          .build(),
      // flat-equalised made steadier against how sharp an archive stores a film: a stronger smoothing (1 px) takes
      // out the grain that equalisation would amplify into texture, and every input is brought to one fine-to-mid
      // detail ratio (0.38, the training knees' median after that smoothing), so a softer or sharper copy of a film
      // reaches the network nearly as the film itself (half the input difference of flat-equalised for a 0.8 px blur).
      "flat-sharpness-equalised", Pipeline.builder()
          .add("smoothing(sigma 1.0 px)", new Smoothing(1.0))
          .add("sharpness-equalisation(fine/mid detail 0.38)", new SharpnessEqualisation(0.38))
          .add("background-flattening(sigma 56 px)", new BackgroundFlattening(56))
          .add("histogram-equalisation(4096 bins)", new HistogramEqualisation(4096))
          .add("clahe(8x8 tiles, clip 3.0)", new Clahe(8, 8, 3.0))
          .build(),
      // The windowed plane as it is: ultrasound speckle and MR texture are not what CLAHE was chosen for.
      "none", Pipeline.builder().build());

  private Normalisations() {}

  public static GradingTask.Normalisation byId(String id) {
    Pipeline pipeline = BY_ID.get(id);
    if (pipeline == null) {
      throw new IllegalArgumentException("unknown normalisation '" + id + "'; known: " + BY_ID.keySet().stream().sorted().toList());
    }
    return new GradingTask.Normalisation(id, pipeline);
  }

  /** The normalisations a modality allows when its task file names none, the default first. */
  static List<String> defaultsFor(String modality) {
    return "XR".equals(modality)
        ? List.of("clahe", "flat-equalised", "flat-sharpness-equalised")
        : List.of("none", "clahe");
  }
}
