package org.rheumalens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rheumalens} command: train, evaluate and grade from the shell. */
@Command(
    name = "rheumalens",
    mixinStandardHelpOptions = true,
    version = "RheumaLens 0.1.0",
    description = "Deep-learning grading of rheumatology images, with human review.",
    subcommands = {TasksCommand.class, TrainCommand.class, CalibrateCommand.class, FitLocatorCommand.class,
        EvaluateCommand.class, AgreeCommand.class, GradeCommand.class, BenchCommand.class, SteadinessCommand.class,
        ServeCommand.class, ImportCommand.class, DeidCommand.class, PacsCommand.class, LoadTestCommand.class})
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
    return new CommandLine(new RheumaLensCli()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(RheumaLensCli::reportFailure);
  }

  /**
   * A command that fails says why in words a user can act on (the messages name the file, row or option), not with a
   * stack trace; {@code RHEUMALENS_DEBUG=1} adds the trace.
   */
  private static int reportFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    command.getErr().println("rheumalens " + command.getCommandName() + ": " + message);
    if (System.getenv("RHEUMALENS_DEBUG") != null) {
      e.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return FAILED;
  }

  /** Exit code of a command that could not do its work at all (bad data, bad task file, missing model). */
  static final int FAILED = 2;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
