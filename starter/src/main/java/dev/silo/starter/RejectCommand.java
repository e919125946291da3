package dev.silo.starter;

import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo reject}. */
@Command(name = "reject", description = "Reject the plan (the run ends ABORTED, nothing created), or decline a branch overwrite.")
final class RejectCommand extends SignalCommand {

  RejectCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.REJECT);
  }
}
