package org.rheumalens.ml;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Started in a fresh JVM by {@link EngineOfflineIT}: loads the engine and does one computation. */
public final class EngineProbe {

  private EngineProbe() {}

  public static void main(String[] args) {
    Engine engine = Engine.getInstance();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray sum = manager.create(new float[] {1, 2, 3}).sum();
      System.out.println("engine=" + engine.getEngineName() + " version=" + engine.getVersion() + " sum=" + sum.getFloat());
    }
  }
}
