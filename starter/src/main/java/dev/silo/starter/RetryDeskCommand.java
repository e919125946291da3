package dev.silo.starter;

import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo retry-desk}. */
@Command(name = "retry-desk", description = "Run the Service Desk updates again after they failed three times.")
final class RetryDeskCommand extends SignalCommand {

  RetryDeskCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.RETRY_DESK);
  }
}
