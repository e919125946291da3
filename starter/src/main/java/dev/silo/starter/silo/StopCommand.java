package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.power.PowerAction;
import picocli.CommandLine.Command;

/** {@code silo stop}: stops a deployed silo's containers and Fly machines, never removing them. */
@Command(
    name = "stop",
    header = "Stop a deployed silo's containers and Fly machines.",
    description =
        "Stops (never removes or destroys) the silo's containers and every machine of its six Fly apps, then"
            + " records the desk status 'stopped' with an event, and prints the run's audit. Refused while the"
            + " silo's deployment runs (exit 2). Exit code 1 when the silo was never deployed or something"
            + " was left running; run it again: what is already stopped stays as it is.")
public final class StopCommand extends PowerCommand {

  public StopCommand(CliContext context) {
    super(context, PowerAction.STOP);
  }
}
