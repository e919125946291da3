package dev.silo.workflows;

/**
 * Failure types carried by {@link io.temporal.failure.ApplicationFailure}. Activities classify an
 * error once, at the client boundary; workflows and the CLI branch on these names.
 */
public enum FailureType {
  /** The request itself is malformed (bad client or app name, bad option). Never retried. */
  INVALID_REQUEST,
  /** The silo's config directory has one or more problems, all listed in the message. Never retried. */
  INVALID_CONFIG,
  /** A thing that must exist does not (an application in the desk, a base branch). Never retried. */
  NOT_FOUND,
  /** The operation would touch something it must never touch (main, a protected branch). Never retried. */
  FORBIDDEN,
  /** The remote state changed under us (a branch moved since it was inspected). Never retried. */
  CONFLICT,
  /** A vendor refused the request with a 4xx other than 408/429. Never retried. */
  VENDOR_REJECTED,
  /** A vendor or engine is temporarily unavailable (I/O, 5xx, 408, 429). Retried. */
  VENDOR_UNAVAILABLE,
  /** A build, deploy or machine reached a failed state. Never retried. */
  DEPLOY_FAILED,
  /** The silo deployment ended in ERROR; the failure's details hold the report. */
  SILO_DEPLOYMENT_FAILED,
  /** The silo deployment was rejected or its approval timed out; the details hold the report. */
  SILO_DEPLOYMENT_ABORTED,
  /** A deployment to one environment did not succeed; the details hold its report. */
  ENVIRONMENT_DEPLOYMENT_FAILED,
  /** A release promotion did not succeed; the details hold its report. */
  RELEASE_FAILED,
  /** A silo stop or start left something not as asked; the details hold its audit. */
  SILO_POWER_FAILED,
  /**
   * A decision (approval, rejection, answer) the run's rules do not accept; the message says why in
   * words the workflow wrote, naming only the sender, so it travels unencrypted and the Web UI's
   * Update dialog shows it.
   */
  DECISION_REFUSED;

  /** Returns the name as carried by {@code ApplicationFailure.getType()}. */
  public String type() {
    return name();
  }
}
