package org.rheumalens.cli;

import picocli.CommandLine.Command;

@Command(name = "evaluate", description = "(being built)")
final class EvaluateCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("not built yet");
  }
}
