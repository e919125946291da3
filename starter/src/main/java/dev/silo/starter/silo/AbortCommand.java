package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo abort}: guided failure's abort, which ends the run as a failed step ends it without guided failure. */
@Command(name = "abort", description = "End a deployment started with --on-failure ask at its failed step: what"
    + " the runbook says to undo is undone (the Fly apps the run created), the desk records the error.")
public final class AbortCommand extends SignalCommand {

  public AbortCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.ABORT_STEP);
  }
}
