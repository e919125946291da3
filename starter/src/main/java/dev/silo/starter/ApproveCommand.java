package dev.silo.starter;

import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo approve}. */
@Command(name = "approve", description = "Approve the plan of a silo deployment waiting for approval.")
final class ApproveCommand extends SignalCommand {

  ApproveCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.APPROVE);
  }
}
