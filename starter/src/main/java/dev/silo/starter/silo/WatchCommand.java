package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.output.Output;
import picocli.CommandLine.Command;

/** {@code silo watch}: follows the latest deployment of a silo until it ends. */
@Command(
    name = "watch",
    header = "Follow the latest deployment of a silo until it ends.",
    description =
        "Prints one line per change of step, status or pending decision, then the report. Exit code 0"
            + " when the silo is deployed, 1 when the run failed, was rejected or cancelled.")
public final class WatchCommand extends SiloRunCommand {

  public WatchCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(SiloTarget target, Output output) {
    return new RunFollower(target, output).follow(null);
  }
}
