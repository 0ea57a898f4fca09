package org.rheumalens.preprocess;

import java.util.random.RandomGenerator;

/** One step of a preprocessing pipeline. Deterministic steps ignore the random source. */
@FunctionalInterface
public interface PlaneTransform {
  Plane apply(Plane plane, RandomGenerator random);
}
