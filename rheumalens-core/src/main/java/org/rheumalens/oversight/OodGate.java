package org.rheumalens.oversight;

import java.io.IOException;
import java.nio.file.Path;

/** A fitted feature density plus its threshold: says whether the model should grade an input at all. */
public final class OodGate {

  private final FeatureGaussian density;
  private final double threshold;

  public OodGate(FeatureGaussian density, double threshold) {
    this.density = density;
    this.threshold = threshold;
  }

  public static OodGate read(Path modelDir, OodGateSettings settings) throws IOException {
    return new OodGate(FeatureGaussian.read(modelDir, settings.filePrefix()), settings.threshold());
  }

  public double threshold() {
    return threshold;
  }

  public OodScore score(float[] features) {
    double score = density.score(features);
    return new OodScore(!(score <= threshold), score, threshold);
  }
}
