package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo reject}. */
@Command(name = "reject", description = "Reject the plan (the run ends ABORTED, nothing created), or decline a branch overwrite.")
public final class RejectCommand extends SignalCommand {

  public RejectCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.REJECT);
  }
}
