package org.rheumalens.training;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saves and loads a network's weights as one {@code <name>-0000.params} file: graders, box regressor, U-Net. */
public final class WeightFiles {

  private WeightFiles() {}

  /**
   * Writes {@code name-0000.params} atomically: DJL's save would otherwise add a new numbered file each time, and a
   * crash mid-write must not destroy the last good weights.
   */
  public static void save(Model model, Path dir, String name) throws IOException {
    Path staging = Files.createDirectories(dir.resolve(".staging"));
    model.setProperty("Epoch", "0");
    model.save(staging, name);
    Files.move(file(staging, name), file(dir, name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The file {@link #save} writes and {@link #load} reads: {@code dir/name-0000.params}. */
  public static Path file(Path dir, String name) {
    return dir.resolve(name + "-0000.params");
  }

  /** Reads {@code name-0000.params}; weights of another network are refused naming {@code describedBy}. */
  public static void load(Model model, Path dir, String name, String describedBy) throws IOException {
    try {
      model.load(dir, name);
    } catch (MalformedModelException e) {
      throw new IOException(dir + ": weights do not match the network in " + describedBy + ": " + e.getMessage(), e);
    }
  }
}
