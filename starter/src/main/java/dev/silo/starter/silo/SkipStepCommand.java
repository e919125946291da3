package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import picocli.CommandLine.Command;

/** {@code silo skip-step}: guided failure's skip, allowed where the runbook goes on without the step. */
@Command(name = "skip-step", description = "Go on without the containers that failed, in a deployment started with"
    + " --on-failure ask (only containers may be skipped).")
public final class SkipStepCommand extends SignalCommand {

  public SkipStepCommand(CliContext context) {
    super(context, SiloDeploymentWorkflow.SKIP_STEP);
  }
}
