package dev.silo.workflows.power;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Stops or starts a deployed silo, as devops may in the runbook's "who does what": its containers
 * and its Fly apps' machines are stopped or started (never removed or destroyed), then the Service
 * Desk records the silo's status ({@code stopped} or {@code active}) with an event.
 *
 * <p>Workflow ID {@code silo-power-{client}-{app}} ({@link
 * dev.silo.workflows.silo.SiloNames#powerWorkflowId()}): one stop or start per silo at a time. A
 * silo the desk shows as never deployed (an empty silo section, or a {@code silo_status} absent or
 * {@code decommissioned}) is refused with a non-retryable {@code INVALID_REQUEST} before anything
 * is touched. The run completes with its audit when everything is as asked; it fails with {@code
 * SILO_POWER_FAILED}, the audit in its details, when a container or machine is left otherwise (the
 * desk is then left as it was, so it never says stopped while something runs).
 */
@WorkflowInterface
public interface SiloPowerWorkflow {

  @WorkflowMethod
  PowerReport power(SiloPowerRequest request);

  /** The audit so far. */
  @QueryMethod
  PowerReport report();
}
