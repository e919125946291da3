package dev.silo.workflows.power;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit a power run keeps as it acts: each entry stamped with the workflow's clock, published
 * as the run's current details (the Web UI shows them) and its {@code SiloStatus} search attribute,
 * and answered by the {@code report} query.
 */
final class PowerAudit {

  private final String workflowId;
  private final String runId;
  private final String startedAt;
  private final PowerAction action;
  private final String siloId;
  private final List<PowerEntry> entries = new ArrayList<>();
  private String requester;
  private String signature = "UNSIGNED";
  private PowerStatus status = PowerStatus.RUNNING;
  private String finishedAt;
  private String dockerTaskQueue;
  private String problem;
  /** Whether the run's search attributes name its silo, so that its status may be set too. */
  private boolean identified;

  PowerAudit(SiloPowerRequest request) {
    this.workflowId = Workflow.getInfo().getWorkflowId();
    this.runId = Workflow.getInfo().getRunId();
    this.startedAt = now();
    this.action = request.action();
    this.siloId = request.names().siloId();
    this.requester = request.requester();
  }

  /** Makes the run findable by its silo, once the names are known to be valid. */
  void identify(SiloNames names) {
    Workflow.upsertTypedSearchAttributes(
        SiloSearchAttributes.CLIENT.valueSet(names.client()),
        SiloSearchAttributes.APP.valueSet(names.app()),
        SiloSearchAttributes.STEP.valueSet(action.name()),
        SiloSearchAttributes.STATUS.valueSet(status.name()));
    identified = true;
    publish();
  }

  void requester(String requester, String signature) {
    this.requester = requester;
    this.signature = signature;
  }

  String requester() {
    return requester;
  }

  void dockerTaskQueue(String queue) {
    this.dockerTaskQueue = queue;
  }

  void record(String system, String target, String outcome, String detail) {
    entries.add(new PowerEntry(now(), system, target, outcome, detail));
    publish();
  }

  boolean anyFailed() {
    return entries.stream().anyMatch(PowerEntry::failed);
  }

  /** Ends the audit; the search attribute says how, once the names were valid enough to be set. */
  PowerReport end(PowerStatus status, String problem) {
    this.status = status;
    this.problem = problem;
    this.finishedAt = now();
    if (identified) {
      Workflow.upsertTypedSearchAttributes(SiloSearchAttributes.STATUS.valueSet(status.name()));
    }
    publish();
    return report();
  }

  /** Ends the audit REFUSED: nothing was done; the failure carries the audit. */
  ApplicationFailure refused(String reason) {
    return ApplicationFailure.newNonRetryableFailure(reason, FailureType.INVALID_REQUEST.type(),
        end(PowerStatus.REFUSED, reason));
  }

  /** Ends the audit FAILED: something was left not as asked; the failure carries the audit. */
  ApplicationFailure failed(String reason) {
    return ApplicationFailure.newNonRetryableFailure(reason, FailureType.SILO_POWER_FAILED.type(),
        end(PowerStatus.FAILED, reason));
  }

  PowerReport report() {
    return new PowerReport(workflowId, runId, siloId, action, requester, signature, status, startedAt, finishedAt,
        dockerTaskQueue, entries, problem);
  }

  private void publish() {
    StringBuilder details = new StringBuilder();
    details.append("Silo ").append(siloId).append(": ").append(action.verb()).append(", ")
        .append(status.name().toLowerCase()).append("\nRequested by ").append(requester).append(" (")
        .append(signature.toLowerCase()).append(')');
    if (problem != null) {
      details.append("\nProblem: ").append(problem);
    }
    for (PowerEntry entry : entries) {
      details.append("\n").append(entry.at()).append("  ").append(entry.system()).append("  ")
          .append(entry.target()).append("  ").append(entry.outcome());
      if (entry.detail() != null) {
        details.append(" (").append(entry.detail()).append(')');
      }
    }
    Workflow.setCurrentDetails(details.toString());
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }
}
