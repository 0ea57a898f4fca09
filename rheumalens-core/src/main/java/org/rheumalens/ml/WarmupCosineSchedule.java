package org.rheumalens.ml;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate: linear warm-up from 10% to the peak, then cosine decay to 1% of the peak. The offset lets a resumed
 * run continue the schedule where the checkpoint left it while the optimizer's own step count restarts. A resumed run
 * also ramps up again over its first {@link #REWARM_STEPS} steps: the checkpoint holds weights, not Adam's moment
 * estimates, and full-size steps on fresh moments knock a trained network back by several epochs.
 */
public final class WarmupCosineSchedule implements Tracker {

  static final int REWARM_STEPS = 100;

  private final float peak;
  private final int warmupSteps;
  private final int totalSteps;
  private final int offset;

  public WarmupCosineSchedule(float peak, int warmupSteps, int totalSteps, int offset) {
    this.peak = peak;
    this.warmupSteps = Math.max(1, warmupSteps);
    this.totalSteps = Math.max(this.warmupSteps + 1, totalSteps);
    this.offset = offset;
  }

  @Override
  public float getNewValue(int numUpdate) {
    float scheduled = valueAt(numUpdate + offset);
    if (offset > 0 && numUpdate < REWARM_STEPS) {
      return scheduled * (0.1f + 0.9f * numUpdate / REWARM_STEPS);
    }
    return scheduled;
  }

  public float valueAt(int step) {
    if (step < warmupSteps) {
      return peak * (0.1f + 0.9f * step / warmupSteps);
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    float floor = peak * 0.01f;
    return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
