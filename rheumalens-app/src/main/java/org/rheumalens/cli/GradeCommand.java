package org.rheumalens.cli;

import picocli.CommandLine.Command;

@Command(name = "grade", description = "(being built)")
final class GradeCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("not built yet");
  }
}
