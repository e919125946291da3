package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo retry-desk}. */
@Command(name = "retry-desk", description = "Run the Service Desk updates again after they failed three times.")
public final class RetryDeskCommand extends SignalCommand {

  public RetryDeskCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.RETRY_DESK);
  }
}
