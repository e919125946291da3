package dev.silo.worker;

import dev.silo.worker.bench.BenchCommand;
import dev.silo.worker.demo.DemoCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The worker jar's entry point: {@code silo worker}, {@code silo dev-server}, {@code silo demo}
 * and {@code silo bench}.
 *
 * <p>Exit codes: 0 after a clean stop, 1 for an unexpected error, 2 for a usage or configuration
 * error (a bad option, a bad payload key, the dev server's port in use), 3 when the Temporal server
 * cannot be reached.
 */
@Command(
    name = "silo",
    description = "Runs a Silo Deployer worker or the embedded Temporal dev server.",
    synopsisSubcommandLabel = "(worker | dev-server | demo | bench)")
public final class WorkerMain implements Runnable {

  /** Exit code for a usage or configuration error, as picocli uses for bad options. */
  static final int EXIT_CONFIGURATION = 2;

  /** Exit code when the Temporal server cannot be used. */
  static final int EXIT_UNREACHABLE = 3;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  private WorkerMain() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The command line with its subcommands, reading configuration from {@code env} only; tests pass
   * their own environment and capture output with {@link CommandLine#setOut} and {@link
   * CommandLine#setErr}.
   */
  public static CommandLine commandLine(Map<String, String> env) {
    return new CommandLine(new WorkerMain())
        .setParameterExceptionHandler((exception, args) -> {
          // A usage mistake is one line that names it and where the options are, not the whole usage.
          CommandLine commandLine = exception.getCommandLine();
          String command = commandLine.getCommandSpec().qualifiedName();
          commandLine.getErr().println(command + ": " + exception.getMessage() + " (see '" + command + " --help')");
          return EXIT_CONFIGURATION;
        })
        .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
          // An unexpected failure is one line; the commands report the expected ones themselves.
          commandLine.getErr().println("error: " + exception.getMessage());
          return 1;
        })
        .addSubcommand(new DevServerCommand(env))
        .addSubcommand(new WorkerCommand(env))
        .addSubcommand(new DemoCommand(env, System.out, System.err))
        .addSubcommand(new BenchCommand(env, System.out, System.err));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: worker, dev-server, demo or bench");
  }
}
