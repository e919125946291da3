package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo release reject}. */
@Command(
    name = "reject",
    description = "Reject the deployment holding an environment (or, with --version, that version's) when it waits"
        + " for approval: it ends REJECTED before anything changes. When its watch window waits for a person after"
        + " inconclusive readings, roll the version back.")
final class ReleaseRejectCommand extends ReleaseDecisionCommand {

  ReleaseRejectCommand(CliContext context) {
    super(context, EnvironmentDeploymentWorkflow.REJECT);
  }
}
