package dev.silo.starter;

import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo confirm-branch-overwrite}. */
@Command(name = "confirm-branch-overwrite", description = "Allow force-pushing the silo branch, which exists at another commit.")
final class ConfirmBranchOverwriteCommand extends SignalCommand {

  ConfirmBranchOverwriteCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
  }
}
