package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo confirm-branch-overwrite}. */
@Command(name = "confirm-branch-overwrite", description = "Allow force-pushing the silo branch, which exists at another commit.")
public final class ConfirmBranchOverwriteCommand extends SignalCommand {

  public ConfirmBranchOverwriteCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
  }
}
