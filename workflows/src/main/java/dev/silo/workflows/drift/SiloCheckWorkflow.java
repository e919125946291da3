package dev.silo.workflows.drift;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Compares a live silo with what its last deployment recorded, read-only; drift found is logged on
 * the desk as a {@code drift_detected} event and, when the worker sets {@code
 * SILO_NOTIFY_WEBHOOK_URL}, notified. Workflow IDs start with {@code silo-check-{client}-{app}-}
 * ({@link CheckNames}); a Temporal Schedule of that silo runs it periodically.
 */
@WorkflowInterface
public interface SiloCheckWorkflow {

  @WorkflowMethod
  DriftReport check(SiloCheckRequest request);
}
