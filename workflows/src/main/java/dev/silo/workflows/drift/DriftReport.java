package dev.silo.workflows.drift;

import java.util.List;

/**
 * What a drift check found.
 *
 * @param siloId {@code {client}-{app}}
 * @param checkWorkflowId this check's workflow ID
 * @param deploymentWorkflowId the silo's deployment workflow ID, {@code silo-{client}-{app}}
 * @param deploymentRunId the run whose report was compared, or null when none was
 * @param outcome how the check ended
 * @param drift what drifted, in the order netlify, fly, git, docker, desk
 * @param unreadable each system that could not be read, with why
 * @param notCompared what the deployment's report does not record, so could not be compared
 * @param deskEventLogged whether a {@code drift_detected} event was logged on the desk
 * @param notified whether a notification was delivered through {@code SILO_NOTIFY_WEBHOOK_URL}
 */
public record DriftReport(
    String siloId,
    String checkWorkflowId,
    String deploymentWorkflowId,
    String deploymentRunId,
    CheckOutcome outcome,
    List<DriftItem> drift,
    List<String> unreadable,
    List<String> notCompared,
    boolean deskEventLogged,
    boolean notified) {

  public DriftReport {
    drift = drift == null ? List.of() : List.copyOf(drift);
    unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    notCompared = notCompared == null ? List.of() : List.copyOf(notCompared);
  }
}
