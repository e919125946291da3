package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo retry-step}: guided failure's retry. */
@Command(name = "retry-step", description = "Run again the step that failed in a deployment started with --on-failure ask.")
public final class RetryStepCommand extends SignalCommand {

  public RetryStepCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.RETRY_STEP);
  }
}
