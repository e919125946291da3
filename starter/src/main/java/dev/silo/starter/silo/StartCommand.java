package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.power.PowerAction;
import picocli.CommandLine.Command;

/** {@code silo start}: starts a stopped silo's containers and Fly machines again. */
@Command(
    name = "start",
    header = "Start a stopped silo's containers and Fly machines again.",
    description =
        "Starts the silo's stopped containers (in the order they were created) and every machine of its six"
            + " Fly apps, waits until each runs, then records the desk status 'active' with an event, and"
            + " prints the run's audit. Refused while the silo's deployment runs (exit 2). Exit code 1 when"
            + " the silo was never deployed or something did not start; run it again: what runs stays as it is.")
public final class StartCommand extends PowerCommand {

  public StartCommand(CliContext context) {
    super(context, PowerAction.START);
  }
}
