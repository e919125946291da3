package dev.silo.workflows.silo;

import java.util.function.Supplier;

/**
 * Guided failure ({@link OnFailure#ASK}): a step that fails after its retries does not end the run;
 * the run waits, NEEDS_ATTENTION with the failure in its progress, for a person to retry the step,
 * skip it where the runbook allows (the containers), or abort, which ends the run as it would have
 * ended without guided failure (the saga, the desk's {@code error}). The decisions go through the
 * {@link DecisionInbox}, under the approvals' rules.
 */
final class GuidedFailure {

  private final DeploymentProgress progress;
  private final DecisionInbox inbox;

  GuidedFailure(DeploymentProgress progress, DecisionInbox inbox) {
    this.progress = progress;
    this.inbox = inbox;
  }

  /**
   * Runs the step until it succeeds, a person skips it, or a person aborts the run.
   *
   * @param once one run of the step, its activity failures already the step's {@link StepFailure}
   * @throws StepFailure the step's failure, when a person aborts or when no person is to be asked
   *     about it (a declined branch overwrite)
   */
  <R> R run(SiloStep<R> step, Supplier<R> once, StepResults results, StepContext context) {
    for (int attempt = 1; ; attempt++) {
      R result = null;
      StepFailure failure;
      try {
        result = once.get();
        String problem = step.failureIn(result);
        if (problem == null) {
          return result;
        }
        failure = StepFailure.ofType(step.name(), problem, StepFailure.STEP_FAILED);
      } catch (StepFailure thrown) {
        if (!thrown.guidable()) {
          throw thrown;
        }
        failure = thrown;
      }
      FailedStep failed = new FailedStep(step.name(), failure.type(), failure.getMessage(), step.skippable(), attempt);
      String decision = inbox.askStepFailure(failed, question(failed));
      switch (decision) {
        case SiloDeploymentWorkflow.RETRY_STEP -> {
          progress.clearDegraded(step.name());
          progress.update(step.name(), "running again (attempt " + (attempt + 1) + ")");
        }
        case SiloDeploymentWorkflow.SKIP_STEP -> {
          // What a skipped step got done (the containers that did start) is kept; a step that threw has its skipped record.
          return result != null ? result : step.skipped(results, context, failure.getMessage());
        }
        default -> throw failure;
      }
    }
  }

  /** The question a failed step puts to a person, with the decisions that answer it. */
  static String question(FailedStep failed) {
    return failed.step() + " failed (" + failed.failureType() + "): " + failed.message() + ". Send "
        + SiloDeploymentWorkflow.RETRY_STEP + " to run it again, "
        + (failed.skippable() ? SiloDeploymentWorkflow.SKIP_STEP + " to go on without it, " : "")
        + "or " + SiloDeploymentWorkflow.ABORT_STEP + " to end the run"
        + (failed.step() == StepName.FLY ? " (the Fly apps this run created are destroyed)" : "");
  }
}
