package org.rheumalens.ml;

import java.nio.file.Path;
import org.rheumalens.eval.GradingMetrics;

/** What a training run produced: the selected model's folder, its card and its validation metrics. */
public record TrainingResult(Path modelDir, ModelCard card, GradingMetrics bestValMetrics) {}
