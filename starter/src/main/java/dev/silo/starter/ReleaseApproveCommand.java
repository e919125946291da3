package dev.silo.starter;

import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo release approve}. */
@Command(
    name = "approve",
    description = "Approve the deployment holding an environment (or, with --version, that version's) when it waits"
        + " for approval.")
final class ReleaseApproveCommand extends ReleaseDecisionCommand {

  ReleaseApproveCommand(CliContext context) {
    super(context, EnvironmentDeploymentWorkflow.APPROVE);
  }
}
