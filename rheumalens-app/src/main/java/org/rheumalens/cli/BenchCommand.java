package org.rheumalens.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "(being built)")
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("not built yet");
  }
}
