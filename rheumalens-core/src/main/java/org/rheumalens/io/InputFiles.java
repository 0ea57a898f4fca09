package org.rheumalens.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command-line inputs: files as given, folders walked (sorted). Whatever a folder holds besides folders is an input,
 * links to devices and pipes included, so that each gets its line saying why it cannot be read instead of vanishing.
 */
public final class InputFiles {

  private InputFiles() {}

  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(f -> !Files.isDirectory(f)).sorted().forEach(files::add);
        }
      } else {
        files.add(input); // a missing file is reported by whoever reads it, with the rest going on
      }
    }
    return files;
  }
}
