package dev.silo.workflows.release;

import dev.silo.workflows.Failures;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-flight's own checks, before the pipeline's pre-flight steps: what the environment lacks for
 * the pipeline, the worker variables the definition names, and the version deployed before this
 * one. Each is behind its change in {@link EnvironmentDeploymentWorkflowImpl}.
 */
final class PreFlightChecks {

  private final EnvironmentDeploymentRequest request;
  private final EnvironmentDeploymentProgress progress;
  private final ReleaseActivities releases =
      Workflow.newActivityStub(ReleaseActivities.class, ReleaseActivityOptions.BOOKKEEPING);
  private int readinessVersion = Workflow.DEFAULT_VERSION;
  private int previousVersion = Workflow.DEFAULT_VERSION;

  PreFlightChecks(EnvironmentDeploymentRequest request, EnvironmentDeploymentProgress progress) {
    this.request = request;
    this.progress = progress;
  }

  /**
   * Whether this run checked the environment's readiness, which also reported a missing database:
   * the built-in backup is then skipped instead of failing.
   */
  boolean readinessChecked() {
    return readinessVersion >= 1;
  }

  /** Whether this run looked up the version deployed before it, and so records itself at the end. */
  boolean previousLookedUp() {
    return previousVersion >= 1;
  }

  /**
   * What pre-flight checks before the pipeline's own steps, each behind its change: what the
   * environment lacks for the pipeline, the worker variables the definition names, and the version
   * deployed before this one. All of them are checked and reported together; any failure stops the
   * deployment before the pipeline's pre-flight steps, which may need what is missing.
   */
  StageResult run(StepRunner runner, EnvironmentDefinition definition, ReleasePipeline pipeline) {
    List<String> stops = new ArrayList<>();
    readinessVersion = Workflow.getVersion(EnvironmentDeploymentWorkflowImpl.READINESS_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (readinessVersion >= 1) {
      StepResult ready = EnvironmentReadiness.of(pipeline, definition).result();
      progress.record(ready);
      if (ready.outcome() == StepOutcome.FAILED) {
        stops.add(request.environment() + " lacks what the pipeline needs: " + ready.detail());
      }
    }
    if (Workflow.getVersion(EnvironmentDeploymentWorkflowImpl.SECRETS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      StepResult secrets = checkVariables(definition, pipeline);
      progress.record(secrets);
      if (secrets.outcome() == StepOutcome.FAILED) {
        stops.add(secrets.detail());
      }
    }
    previousVersion = Workflow.getVersion(EnvironmentDeploymentWorkflowImpl.PREVIOUS_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (previousVersion >= 1) {
      StepResult previous = findPreviousDeployment(runner);
      progress.record(previous);
      if (previous.outcome() == StepOutcome.FAILED) {
        stops.add(previous.detail());
      }
    }
    return stops.isEmpty() ? StageResult.PASSED : StageResult.failed("pre-flight: " + String.join("; ", stops));
  }

  /**
   * Asks the worker whether it has every variable the pipeline and the environment file name
   * ({@code password_env}, {@code webhook_env}), so that a missing one stops the deployment now
   * rather than failing a step after the database changed or during the rollback.
   */
  private StepResult checkVariables(EnvironmentDefinition definition, ReleasePipeline pipeline) {
    Map<String, String> named = new LinkedHashMap<>();
    if (definition.database() != null && definition.database().passwordEnv() != null) {
      named.putIfAbsent(definition.database().passwordEnv(), "password_env of environment " + definition.name());
    }
    pipeline.stages().forEach((name, list) -> list.forEach(step -> {
      if (step instanceof PipelineStep.Webhook webhook && webhook.webhookEnv() != null) {
        named.putIfAbsent(webhook.webhookEnv(), "webhook_env of " + name + " step '" + step.name() + "'");
      }
    }));
    String checked = "Worker variables configured";
    if (named.isEmpty()) {
      return new StepResult(Stage.PRE_FLIGHT, checked, "variables", StepOutcome.PASSED, 0,
          "the definition names no worker variable");
    }
    long started = Workflow.currentTimeMillis();
    VariablesCheck check;
    try {
      check = Failures.orStepFailure(() -> releases.checkVariables(new CheckVariablesRequest(List.copyOf(named.keySet()))),
          message -> new StepFailure("the worker's variables could not be checked: " + message));
    } catch (StepFailure failure) {
      return new StepResult(Stage.PRE_FLIGHT, checked, "variables", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, failure.detail());
    }
    long took = Workflow.currentTimeMillis() - started;
    if (check.missing().isEmpty()) {
      return new StepResult(Stage.PRE_FLIGHT, checked, "variables", StepOutcome.PASSED, took,
          "set on the worker: " + String.join(", ", named.keySet()));
    }
    List<String> missing = check.missing().stream().map(name -> name + " (" + named.get(name) + ")").toList();
    return new StepResult(Stage.PRE_FLIGHT, checked, "variables", StepOutcome.FAILED, took,
        "not set on the worker: " + String.join(", ", missing)
            + "; set them in the worker's environment and restart it");
  }

  /** Looks up the version deployed before this one, for {@code $PREVIOUS_VERSION} and its kin. */
  private StepResult findPreviousDeployment(StepRunner runner) {
    long started = Workflow.currentTimeMillis();
    PreviousDeployment previous;
    try {
      previous = Failures.orStepFailure(() -> releases.findPreviousDeployment(new FindPreviousDeploymentRequest(
              request.project(), request.environment(), Workflow.getInfo().getWorkflowId(),
              Workflow.getInfo().getRunId())),
          message -> new StepFailure("the version deployed before this one could not be read: " + message));
    } catch (StepFailure failure) {
      return new StepResult(Stage.PRE_FLIGHT, "Previous version", "ledger", StepOutcome.FAILED,
          Workflow.currentTimeMillis() - started, failure.detail());
    }
    runner.previous(previous);
    return new StepResult(Stage.PRE_FLIGHT, "Previous version", "ledger", StepOutcome.PASSED,
        Workflow.currentTimeMillis() - started, previous.found()
            ? "PREVIOUS_VERSION=" + previous.version() + ", PREVIOUS_DATE="
                + StepRunner.previousDate(previous.deployedAt()) + " (deployed " + previous.deployedAt() + " by "
                + previous.workflowId() + ")"
            : "no version was deployed to " + request.environment() + " before this one: PREVIOUS_VERSION and"
                + " PREVIOUS_DATE are empty, and commands that use them are skipped");
  }
}
