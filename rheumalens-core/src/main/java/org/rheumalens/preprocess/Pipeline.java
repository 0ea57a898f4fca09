package org.rheumalens.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An ordered, named list of transforms, declared once per task and shared by training and inference. A colour plane
 * goes through each step channel by channel, every channel with its own copy of the same random draws, so a random
 * flip, turn or gamma moves the channels together and the colours stay in register.
 */
public final class Pipeline implements PlaneTransform {

  private final List<Step> steps;

  private Pipeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Plane apply(Plane plane, RandomGenerator random) {
    Plane current = plane;
    for (Step step : steps) {
      current = current.channels() == 1
          ? step.transform().apply(current, random)
          : perChannel(step.transform(), current, random);
    }
    return current;
  }

  private static Plane perChannel(PlaneTransform transform, Plane plane, RandomGenerator random) {
    long seed = random == null ? 0 : random.nextLong();
    List<Plane> channels = new ArrayList<>(plane.channels());
    for (int c = 0; c < plane.channels(); c++) {
      channels.add(transform.apply(plane.channel(c), random == null ? null : new SplittableRandom(seed)));
    }
    return Plane.stack(channels);
  }

  /** The step names in order, for model cards and logs. */
  public List<String> describe() {
    return steps.stream().map(Step::name).toList();
  }

  /** A new pipeline that runs this one and then {@code next}. */
  public Pipeline then(Pipeline next) {
    List<Step> all = new ArrayList<>(steps);
    all.addAll(next.steps);
    return new Pipeline(all);
  }

  private record Step(String name, PlaneTransform transform) {}

  /** Builds a pipeline step by step. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();

    public Builder add(String name, PlaneTransform transform) {
      steps.add(new Step(name, transform));
      return this;
    }

    public Pipeline build() {
      return new Pipeline(steps);
    }
  }
}
