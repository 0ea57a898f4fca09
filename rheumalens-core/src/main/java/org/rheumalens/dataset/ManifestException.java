package org.rheumalens.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A manifest that cannot be trained or evaluated on, with every problem found (each naming its row). */
public final class ManifestException extends IOException {

  private static final int SHOWN = 20;
  private final List<String> problems;

  public ManifestException(Path file, List<String> problems) {
    super(message(file, problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(Path file, List<String> problems) {
    StringBuilder s = new StringBuilder(file + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
        + " (nothing was trained or evaluated):");
    problems.stream().limit(SHOWN).forEach(p -> s.append("\n  ").append(p));
    if (problems.size() > SHOWN) {
      s.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
    }
    return s.toString();
  }
}
