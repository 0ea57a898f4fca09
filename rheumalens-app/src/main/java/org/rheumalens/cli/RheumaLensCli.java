package org.rheumalens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rheumalens} command: train, evaluate and grade from the shell. */
@Command(
    name = "rheumalens",
    mixinStandardHelpOptions = true,
    version = "RheumaLens 0.1.0",
    description = "Deep-learning grading of rheumatology images, with human review.",
    subcommands = {TrainCommand.class, CalibrateCommand.class, FitLocatorCommand.class, EvaluateCommand.class, AgreeCommand.class,
        GradeCommand.class, BenchCommand.class,
        ServeCommand.class, ImportCommand.class})
public final class RheumaLensCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line; tests set its out/err writers to capture what a user would see. */
  public static CommandLine commandLine() {
    return new CommandLine(new RheumaLensCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
