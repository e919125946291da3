package dev.silo.workflows.power;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.DeskSiloSection;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.silo.SiloActivityOptions;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a power run reads from and writes to the Service Desk: whether the silo was ever deployed,
 * then its new status, an event and the application's silo section, each write keyed by the run
 * so that a retry never records twice.
 */
final class PowerDesk {

  /** The actor the runbook names for the deployer's events, as the deployment records it. */
  static final String ACTOR = "silo-manager";

  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final PowerAudit audit;
  private final SiloNames names;
  private final PowerAction action;
  /** The desk's silo section as read at the start; it is written back with the new status. */
  private Map<String, Object> section;

  PowerDesk(PowerAudit audit, SiloNames names, PowerAction action) {
    this.audit = audit;
    this.names = names;
    this.action = action;
  }

  /**
   * The silo's status in the desk; refuses a silo the desk shows as never deployed (or
   * decommissioned since).
   *
   * @param again the command that runs this stop or start again, for the message when the desk
   *     cannot be read
   */
  String deployedStatus(String again) {
    DeskApplication application;
    try {
      application = desk.getApplication(new GetApplicationRequest(names.client(), names.app()));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure cause
          && FailureType.NOT_FOUND.type().equals(cause.getType())) {
        throw audit.refused("silo " + names.siloId() + " was never deployed: the desk has no application "
            + names.client() + "/" + names.app());
      }
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("desk", "silo status", "failed", Failures.message(failure));
      throw audit.failed("the desk could not be read, so whether " + names.siloId() + " was deployed is unknown;"
          + " nothing was touched: run '" + again + "' again once the desk answers");
    }
    Map<String, Object> read = DeskSiloSection.of(application.silo());
    Object status = read.get("silo_status");
    if (read.isEmpty() || !(status instanceof String text) || text.isBlank() || "decommissioned".equals(text)) {
      String why = "decommissioned".equals(status) ? "it was decommissioned" : "the desk holds no silo record for it";
      throw audit.refused("silo " + names.siloId() + " was never deployed (" + why + "): deploy it with 'silo deploy "
          + names.client() + " " + names.app() + "'");
    }
    audit.record("desk", "silo status", "read", text);
    this.section = read;
    return text;
  }

  /**
   * The silo's status, an event and the application's silo section, side by side. Nothing is
   * written when nothing changed and the desk already says so: a second stop of a stopped silo
   * leaves no second event.
   *
   * @param deskStatus the status read at the start
   * @param changed how many containers and machines the run stopped or started
   */
  void record(String deskStatus, int changed) {
    if (changed == 0 && action.deskStatus().equals(deskStatus)) {
      audit.record("desk", "silo status", "unchanged", "already " + deskStatus + " and nothing changed; nothing written");
      return;
    }
    String timestamp = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("action", action.verb());
    details.put("requested_by", audit.requester());
    details.put("changed", changed);
    details.put("timestamp", timestamp);
    details.put("workflow_id", Workflow.getInfo().getWorkflowId());
    Map<String, Object> written = new LinkedHashMap<>(section);
    written.put("silo_status", action.deskStatus());
    written.put("silo_status_changed_at", timestamp);
    Promise<DeskAck> status = Async.function(desk::updateSiloStatus, new UpdateSiloStatusRequest(names.client(),
        names.app(), action.deskStatus(), details, key("status-" + action.deskStatus())));
    Promise<DeskAck> event = Async.function(desk::logSiloEvent, new LogSiloEventRequest(names.client(), names.app(),
        action.event(), ACTOR, details, key("event-" + action.event())));
    Promise<DeskAck> record = Async.function(desk::updateApplication, new UpdateApplicationRequest(names.client(),
        names.app(), written, key("application-silo")));
    acknowledged(status, "silo status", deskStatus + " -> " + action.deskStatus());
    acknowledged(event, "event " + action.event(), "actor " + ACTOR + ", requested by " + audit.requester());
    acknowledged(record, "application silo section", "silo_status " + action.deskStatus());
  }

  private void acknowledged(Promise<DeskAck> write, String target, String detail) {
    try {
      DeskAck ack = write.get();
      audit.record("desk", target, ack.duplicate() ? "already written" : "written", detail);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("desk", target, "failed", Failures.message(failure));
    }
  }

  private String key(String what) {
    return Workflow.getInfo().getWorkflowId() + ":" + Workflow.getInfo().getRunId() + ":desk:" + what;
  }
}
