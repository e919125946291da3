package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo approve}. */
@Command(name = "approve", description = "Approve the plan of a silo deployment waiting for approval.")
public final class ApproveCommand extends SignalCommand {

  public ApproveCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.APPROVE);
  }
}
