package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command about one silo's deployment: it takes the global options and {@code <client> <app>},
 * checks the names (exit 2), connects (exit 3 when the server cannot be reached) and then does its
 * own work in {@link #run}. Failures are thrown as {@link CliException}s for {@code ErrorReporter}.
 */
abstract class SiloRunCommand implements Callable<Integer>, SiloCommand {

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin SiloArguments silo = new SiloArguments();

  SiloRunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    Output output = new Output(context.out(), context.err(), globals.json());
    try (SiloTarget target = SiloTarget.open(context, globals, silo, teardown())) {
      return run(target, output);
    }
  }

  /** Whether the command acts on the silo's teardown runs ({@code --destroy}) rather than its deployments. */
  boolean teardown() {
    return false;
  }

  /** The command's own work against the silo's runs; returns the exit code. */
  abstract int run(SiloTarget target, Output output);
}
