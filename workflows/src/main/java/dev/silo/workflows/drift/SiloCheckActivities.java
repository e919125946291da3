package dev.silo.workflows.drift;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What the drift check reads from Temporal and the worker itself, rather than from a silo's systems.
 */
@ActivityInterface
public interface SiloCheckActivities {

  /**
   * Finds the silo's latest deployment run that completed with status {@code DEPLOYED} and reads
   * its report, the run's result. Read-only, hence idempotent: a retry looks again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     Temporal server cannot answer
   */
  @ActivityMethod
  LastDeployment lastDeployment(LastDeploymentRequest request);

  /**
   * Whether the worker sets the named webhook variable, so that a check sends a notification only
   * when one can be delivered. Read-only, hence idempotent; never fails.
   */
  @ActivityMethod
  boolean webhookConfigured(String variable);
}
