package dev.silo.workflows.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * Where a deployment to one environment is in the runbook. Reports, the progress query and the
 * history write a stage as its {@link #id()}, the name the pipeline file gives it.
 */
public enum Stage {
  /** Queued for the environment behind another deployment of the project. */
  QUEUE("queue", EnvironmentStatus.WAITING_FOR_LOCK),
  /** The checks before anything changes; every step runs, and only a blocking one stops. */
  PRE_FLIGHT("pre_flight", EnvironmentStatus.RUNNING),
  /** The approval gate. */
  APPROVAL("approval", EnvironmentStatus.RUNNING),
  /** Backup, migrations and schema checks. */
  SCHEMA_DEPLOY("schema_deploy", EnvironmentStatus.RUNNING),
  /** Functions and stored procedures. */
  FUNCTION_DEPLOY("function_deploy", EnvironmentStatus.RUNNING),
  /** RLS policies and the per-role tests. */
  RLS_DEPLOY("rls_deploy", EnvironmentStatus.RUNNING),
  /** The checks after the deployment. */
  HEALTH_CHECKS("health_checks", EnvironmentStatus.RUNNING),
  /** The watch window. */
  WATCH("watch", EnvironmentStatus.WATCHING),
  /** The rollback steps. */
  ROLLBACK("rollback", EnvironmentStatus.ROLLING_BACK);

  /** The stages after the approval gate, in the order they run; the first that fails ends the run. */
  static final List<Stage> AFTER_APPROVAL = List.of(SCHEMA_DEPLOY, FUNCTION_DEPLOY, RLS_DEPLOY, HEALTH_CHECKS, WATCH);

  private final String id;
  private final EnvironmentStatus status;

  Stage(String id, EnvironmentStatus status) {
    this.id = id;
    this.status = status;
  }

  /** The stage's name as the pipeline file, reports and history write it, such as {@code pre_flight}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** The stage of an {@link #id()}. */
  @JsonCreator
  public static Stage of(String id) {
    return Arrays.stream(values()).filter(stage -> stage.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage is called " + id));
  }

  /** Where the deployment is while the stage runs. */
  EnvironmentStatus status() {
    return status;
  }

  /**
   * Whether the stage changes the environment: a step other than a backup in it makes a failure
   * from then on a reason to roll back, and needs a backup before it.
   */
  boolean changesTheEnvironment() {
    return this == SCHEMA_DEPLOY || this == FUNCTION_DEPLOY || this == RLS_DEPLOY;
  }

  /**
   * Whether every step of the stage runs whatever the others did, a failing step that is not
   * {@code blocking} counting as a warning; in the other stages the first failing step ends it.
   */
  boolean runsEveryStep() {
    return this == PRE_FLIGHT;
  }

  /** How a failing step ends the deployment, as its report's reason says. */
  String failure(PipelineStep step, String detail) {
    return switch (this) {
      case PRE_FLIGHT -> "pre-flight check '" + step.name() + "' failed: " + detail;
      case HEALTH_CHECKS -> "health check '" + step.name() + "' failed: " + detail;
      default -> id + " step '" + step.name() + "' failed: " + detail;
    };
  }

  @Override
  public String toString() {
    return id;
  }
}
