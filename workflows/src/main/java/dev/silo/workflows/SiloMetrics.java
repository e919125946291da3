package dev.silo.workflows;

/**
 * The names and tag keys of the metrics the workflows emit through {@code
 * Workflow.getMetricsScope()}. The SDK drops those calls while a workflow replays, so each value
 * is counted once per run, and emitting them issues no command: adding or removing one needs no
 * {@code Workflow.getVersion}.
 *
 * <p>Gauges are set by the worker that runs the workflow task. A gauge set while a run waits is not
 * set again when another worker picks the run up by replaying it, so after a worker restart it can
 * read 0 for a run that still waits until the wait ends.
 */
public final class SiloMetrics {

  /** Tag: the silo's identity, {@code {client}-{app}}. */
  public static final String SILO = "silo";

  /** Tag: the silo step, a {@code StepName} such as {@code FLY}. */
  public static final String STEP = "step";

  /** Tag: whether a compensation did what it set out to do, {@link #OUTCOME_OK} or {@link #OUTCOME_FAILED}. */
  public static final String OUTCOME = "outcome";

  /** Value of {@link #OUTCOME}: the compensation succeeded. */
  public static final String OUTCOME_OK = "ok";

  /** Value of {@link #OUTCOME}: the compensation failed and left something for an operator. */
  public static final String OUTCOME_FAILED = "failed";

  /** Tag: the release's project. */
  public static final String PROJECT = "project";

  /** Tag: the environment a release deploys to, such as {@code staging}. */
  public static final String ENVIRONMENT = "environment";

  /** Tag: the release stage, such as {@code schema_deploy} or {@code watch}. */
  public static final String STAGE = "stage";

  /**
   * Counter, tags {@link #SILO} and {@link #STEP}: silo steps begun. A begun step ends counted in
   * exactly one of {@link #STEPS_SUCCEEDED}, {@link #STEPS_DEGRADED} and {@link #STEPS_FAILED}, or in
   * none when it was skipped (the Docker step when no container engine serves the deployment) or
   * the run was terminated mid-step. Steps skipped without beginning count nowhere.
   */
  public static final String STEPS_STARTED = "silo_steps_started";

  /** Counter, tags {@link #SILO} and {@link #STEP}: silo steps that finished with everything done. */
  public static final String STEPS_SUCCEEDED = "silo_steps_succeeded";

  /** Counter, tags {@link #SILO} and {@link #STEP}: silo steps that finished with items skipped. */
  public static final String STEPS_DEGRADED = "silo_steps_degraded";

  /** Counter, tags {@link #SILO} and {@link #STEP}: silo steps that failed, were rejected or were cancelled. */
  public static final String STEPS_FAILED = "silo_steps_failed";

  /**
   * Timer, tags {@link #SILO} and {@link #STEP}: from a step's beginning to its succeeded, degraded
   * or failed end, on the workflow clock, so it includes any wait for a person.
   */
  public static final String STEP_DURATION = "silo_step_duration";

  /** Gauge, tag {@link #SILO}: 1 while the run waits for a person's decision, 0 otherwise. */
  public static final String APPROVALS_WAITING = "silo_approvals_waiting";

  /**
   * Counter, tags {@link #SILO}, {@link #STEP} and {@link #OUTCOME}: compensations that ran, one per
   * Fly app a failed or cancelled run destroyed or tried to. Apps that existed before the run are
   * kept and not counted.
   */
  public static final String COMPENSATIONS = "silo_compensations";

  /** Counter, tags {@link #PROJECT}, {@link #ENVIRONMENT} and {@link #STAGE}: release stages begun. */
  public static final String RELEASE_STAGES_STARTED = "release_stages_started";

  /**
   * Counter, tags {@link #PROJECT}, {@link #ENVIRONMENT} and {@link #STAGE}: release stages that
   * failed (a blocking pre-flight check, a deploy step, a health check or the watch window).
   */
  public static final String RELEASE_STAGES_FAILED = "release_stages_failed";

  /**
   * Gauge, tags {@link #PROJECT} and {@link #ENVIRONMENT}: 1 while a deployment waits at its
   * approval gate, 0 otherwise.
   */
  public static final String RELEASE_APPROVALS_WAITING = "release_approvals_waiting";

  /**
   * Counter, tags {@link #PROJECT} and {@link #ENVIRONMENT}: rollbacks begun, after a failure or an
   * operator's cancellation.
   */
  public static final String RELEASE_ROLLBACKS = "release_rollbacks";

  private SiloMetrics() {}
}
