package org.rheumalens.tasks;

import java.util.List;
import java.util.Map;
import org.rheumalens.preprocess.BackgroundFlattening;
import org.rheumalens.preprocess.Clahe;
import org.rheumalens.preprocess.HistogramEqualisation;
import org.rheumalens.preprocess.Pipeline;
import org.rheumalens.preprocess.RandomAffine;
import org.rheumalens.preprocess.RandomIntensity;
import org.rheumalens.preprocess.Smoothing;
import org.rheumalens.preprocess.SquareResize;

/** The clinical tasks RheumaLens knows, by id. */
public final class Tasks {

  /** Kellgren-Lawrence grade 0-4 of a knee joint crop (OAI-derived, Chen 2018). */
  public static final GradingTask KNEE_KL =
      new GradingTask(
          "knee-kl",
          "Knee osteoarthritis, Kellgren-Lawrence grade",
          "knee radiograph",
          List.of("KL0", "KL1", "KL2", "KL3", "KL4"),
          224,
          Pipeline.builder().add("square-resize(224)", new SquareResize(224)).build(),
          List.of(
              new GradingTask.Normalisation("clahe",
                  Pipeline.builder().add("clahe(8x8 tiles, clip 2.0)", new Clahe(8, 8, 2.0)).build()),
              // Rank-based, so a gamma curve, bit depth, window or exposure gradient changes little of the input.
              new GradingTask.Normalisation("flat-equalised",
                  Pipeline.builder()
                      .add("smoothing(sigma 0.6 px)", new Smoothing(0.6))
                      .add("background-flattening(sigma 56 px)", new BackgroundFlattening(56))
                      .add("histogram-equalisation(4096 bins)", new HistogramEqualisation(4096))
                      .add("clahe(8x8 tiles, clip 3.0)", new Clahe(8, 8, 3.0))
                      .build())),
          Pipeline.builder()
              .add("intensity(gamma x/÷1.35, contrast ±15%, brightness ±0.06)", new RandomIntensity(0.3, 0.15, 0.06))
              .add("affine(flip 0.5, rotate ±8°, scale ±8%, shift ±4%)", new RandomAffine(0.5, 8, 0.08, 0.04))
              .build(),
          true);

  private static final Map<String, GradingTask> BY_ID = Map.of(KNEE_KL.id(), KNEE_KL);

  private Tasks() {}

  public static GradingTask byId(String id) {
    GradingTask task = BY_ID.get(id);
    if (task == null) {
      throw new IllegalArgumentException("unknown task '" + id + "'; known: " + BY_ID.keySet());
    }
    return task;
  }
}
