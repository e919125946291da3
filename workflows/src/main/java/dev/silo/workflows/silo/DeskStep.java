package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
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
 * {@code retryDesk} never records twice, and a later run still updates the silo's status. Each
 * method is one attempt at a set of writes and says what the desk acknowledged; the workflow
 * decides whether to repeat the set (see {@code SiloDeploymentWorkflowImpl}).
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
   * Writes the three records of a deployed silo, in order, each attempted three times (the
   * activity's retries); the first write the desk does not acknowledge ends the attempt. Calling it
   * again with the same arguments re-sends the same three writes with the same keys and the same
   * contents, so a write the desk already holds is answered as a duplicate and never applied twice.
   *
   * @param timestamp the deployment time, fixed by the caller across attempts so that every
   *     re-sent write is identical to the first
   * @return what the desk acknowledged in this attempt
   */
  DeskOutcome recordProvisioned(Provisioned silo, String timestamp) {
    String status = null;
    String event = null;
    try {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("containers_count", silo.containersRunning());
      details.put("docker_status", silo.dockerStatus());
      details.put("deployment_timestamp", timestamp);
      desk.updateSiloStatus(new UpdateSiloStatusRequest(names.client(), names.app(), "active", details,
          runKey("status-active")));
      status = "active";

      Map<String, Object> provisioned = new LinkedHashMap<>();
      provisioned.put("configs_applied", silo.configsApplied());
      provisioned.put("fly_services", silo.flyServices());
      provisioned.put("silo_branch", silo.branch());
      provisioned.put("silo_preview_url", silo.previewUrl());
      desk.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), "provisioned", ACTOR, provisioned,
          key("event-provisioned")));
      event = "provisioned";

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
      return new DeskOutcome(status, event, true, null);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new DeskOutcome(status, event, false, Failures.message(failure));
    }
  }

  /**
   * Records that the deployment did not complete: status {@code error} (when asked) and an event,
   * in that order, each attempted three times (the activity's retries). Like {@link
   * #recordProvisioned}, calling it again with the same arguments re-sends the same writes with the
   * same keys, so the caller may repeat it until the desk acknowledges both.
   *
   * @param timestamp when the run stopped, fixed by the caller across attempts
   * @return what the desk acknowledged in this attempt
   */
  DeskOutcome recordStopped(String event, StepName step, String reason, boolean setErrorStatus, String timestamp) {
    String status = null;
    try {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("step", step.name());
      details.put("reason", reason);
      details.put("workflow_id", workflowId);
      if (setErrorStatus) {
        Map<String, Object> error = new LinkedHashMap<>(details);
        error.put("deployment_timestamp", timestamp);
        desk.updateSiloStatus(new UpdateSiloStatusRequest(names.client(), names.app(), "error", error,
            runKey("status-error-" + step.name().toLowerCase())));
        status = "error";
      }
      desk.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), event, ACTOR, details,
          runKey("event-" + event + "-" + step.name().toLowerCase())));
      return new DeskOutcome(status, event, false, null);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new DeskOutcome(status, null, false, Failures.message(failure));
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
