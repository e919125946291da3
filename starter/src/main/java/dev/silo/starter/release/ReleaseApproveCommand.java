package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo release approve}. */
@Command(
    name = "approve",
    description = "Approve the deployment holding an environment (or, with --version, that version's) when it waits"
        + " for approval, or accept its version when its watch window waits for a person after inconclusive"
        + " readings.")
final class ReleaseApproveCommand extends ReleaseDecisionCommand {

  ReleaseApproveCommand(CliContext context) {
    super(context, EnvironmentDeploymentWorkflow.APPROVE);
  }
}
