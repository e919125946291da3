package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A {@code silo release} command about one project: it takes the global options and {@code
 * <project>}, checks its arguments (exit 2), connects (exit 3 when the server cannot be reached)
 * and then does its own work in {@link #run}. Failures are thrown as {@link CliException}s for
 * {@code ErrorReporter}.
 */
abstract class ReleaseSubcommand implements Callable<Integer>, SiloCommand {

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();

  @Parameters(index = "0", paramLabel = "<project>", description = "The project, e.g. shop.")
  String project;

  ReleaseSubcommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    check();
    Output output = new Output(context.out(), context.err(), globals.json());
    try (ReleaseTarget target = ReleaseTarget.open(context, globals, project)) {
      return run(target, output);
    }
  }

  /** Checks the arguments before anything connects; throws a {@link CliException} with exit code 2. */
  abstract void check();

  /** The command's own work against the project's releases; returns the exit code. */
  abstract int run(ReleaseTarget target, Output output);
}
