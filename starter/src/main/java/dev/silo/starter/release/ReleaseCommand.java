package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code silo release}: the commands that promote a version through dev → staging → uat → prod. */
@Command(
    name = "release",
    header = "Promote a version of a project through dev → staging → uat → prod.",
    description =
        "Each environment is deployed by its own run, one deployment per project and environment at a"
            + " time (the others wait in line); environments that require approval wait for it.",
    synopsisSubcommandLabel = "COMMAND")
public final class ReleaseCommand implements Callable<Integer> {

  private static final List<Function<CliContext, Object>> COMMANDS =
      List.of(
          ReleaseStartCommand::new,
          ReleaseApproveCommand::new,
          ReleaseRejectCommand::new,
          ReleaseStatusCommand::new,
          ReleaseWatchCommand::new,
          ReleaseReportCommand::new,
          ReleaseCancelCommand::new,
          ReleaseListCommand::new);

  @Spec CommandSpec spec;

  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private ReleaseCommand() {}

  /** The {@code release} command with its subcommands, for {@code SiloCli}. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine release = new CommandLine(new ReleaseCommand());
    COMMANDS.forEach(command -> release.addSubcommand(command.apply(context)));
    return release;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a release command is required");
  }
}
