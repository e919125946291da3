package dev.silo.workflows.silo;

import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 6, and every other write to the Service Desk. Each write carries a key derived from the
 * workflow ID (and, for what each run writes, the run ID) and what it records, so a retry or a
 * {@code retryDesk} never records twice, and a later run still updates the silo's status.
 */
final class DeskStep {

  /** The actor the runbook names for the deployer's events. */
  static final String ACTOR = "silo-manager";

  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final String workflowId;
  private final SiloNames names;

  DeskStep(String workflowId, SiloNames names) {
    this.workflowId = workflowId;
    this.names = names;
  }

  /** What the desk records for a deployed silo, taken from the earlier steps. */
  record Provisioned(int containersRunning, String dockerStatus, List<String> configsApplied, int flyServices,
      String branch, String previewUrl, String pgUrl, String anonKey) {}

  /**
   * Writes the three records of a deployed silo, each attempted three times.
   *
   * @return null when the desk holds them, else why it does not
   */
  String recordProvisioned(Provisioned silo, String timestamp) {
    try {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("containers_count", silo.containersRunning());
      status.put("docker_status", silo.dockerStatus());
      status.put("deployment_timestamp", timestamp);
      desk.updateSiloStatus(new UpdateSiloStatusRequest(names.client(), names.app(), "active", status,
          runKey("status-active")));

      Map<String, Object> event = new LinkedHashMap<>();
      event.put("configs_applied", silo.configsApplied());
      event.put("fly_services", silo.flyServices());
      event.put("silo_branch", silo.branch());
      event.put("silo_preview_url", silo.previewUrl());
      desk.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), "provisioned", ACTOR, event,
          key("event-provisioned")));

      Map<String, Object> section = new LinkedHashMap<>();
      section.put("silo_preview_url", silo.previewUrl());
      section.put("silo_deployed_at", timestamp);
      section.put("silo_status", "active");
      section.put("silo_docker_status", silo.dockerStatus());
      section.put("silo_pg_url", silo.pgUrl());
      section.put("silo_anon_key", silo.anonKey());
      Map<String, Object> application = new LinkedHashMap<>();
      application.put("silo", section);
      desk.updateApplication(new UpdateApplicationRequest(names.client(), names.app(), application,
          runKey("application-silo")));
      return null;
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return Failures.message(failure);
    }
  }

  /**
   * Records that the deployment did not complete: status {@code error} (after a failure) and an
   * event. Best effort, each write attempted three times; the outcome is reported, never thrown.
   *
   * @return null when the desk holds it, else why it does not
   */
  String recordStopped(String event, StepName step, String reason, boolean setErrorStatus, String timestamp) {
    try {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("step", step.name());
      details.put("reason", reason);
      details.put("workflow_id", workflowId);
      if (setErrorStatus) {
        Map<String, Object> status = new LinkedHashMap<>(details);
        status.put("deployment_timestamp", timestamp);
        desk.updateSiloStatus(new UpdateSiloStatusRequest(names.client(), names.app(), "error", status,
            runKey("status-error-" + step.name().toLowerCase())));
      }
      desk.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), event, ACTOR, details,
          runKey("event-" + event + "-" + step.name().toLowerCase())));
      return null;
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return Failures.message(failure);
    }
  }

  /**
   * A key for what happens to the silo once in its life: a redeploy of a provisioned silo does not
   * log "provisioned" again.
   */
  private String key(String what) {
    return workflowId + ":desk:" + what;
  }

  /**
   * A key for what each run writes: the silo's status and application record must reflect the
   * latest run (an earlier run's key would make the desk drop them as duplicates), and each failed
   * run is its own event. Retries and {@code retryDesk} within the run reuse it.
   */
  private String runKey(String what) {
    return workflowId + ":" + Workflow.getInfo().getRunId() + ":desk:" + what;
  }
}
