package dev.silo.starter.silo;

import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.FailureDetails;
import dev.silo.starter.output.Output;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloProgress;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.util.List;

/**
 * How a closed run ended: its report (the result, or the first detail of the failure) and, when it
 * did not deploy, why.
 *
 * @param workflowId the workflow ID
 * @param runId the run
 * @param executionStatus Temporal's status of the run
 * @param report the report, or null when the run ended without one (terminated, timed out)
 * @param failure why it did not deploy, or null
 */
record RunOutcome(
    String workflowId, String runId, WorkflowExecutionStatus executionStatus, SiloReport report, String failure) {

  /** Reads the outcome of a closed run from its history; no worker is needed. */
  static RunOutcome read(WorkflowStub stub, WorkflowExecutionMetadata run) {
    String workflowId = run.getExecution().getWorkflowId();
    String runId = run.getExecution().getRunId();
    try {
      SiloReport report = stub.getResult(SiloReport.class);
      return new RunOutcome(workflowId, runId, run.getStatus(), report, null);
    } catch (WorkflowFailedException e) {
      return fromFailure(workflowId, runId, run.getStatus(), e.getCause());
    }
  }

  /** The outcome carried by a run's failure. */
  static RunOutcome fromFailure(
      String workflowId, String runId, WorkflowExecutionStatus status, Throwable cause) {
    SiloReport report = FailureDetails.report(cause, SiloReport.class);
    String failure = report != null && report.failure() != null ? report.failure() : FailureDetails.message(cause);
    return new RunOutcome(workflowId, runId, status, report, failure);
  }

  /** The same outcome with the report the run's progress holds. */
  RunOutcome withReport(SiloReport progressReport) {
    return new RunOutcome(workflowId, runId, executionStatus, progressReport,
        progressReport.failure() != null ? progressReport.failure() : failure);
  }

  /** Where the silo ended up; without a report, derived from how the run closed. */
  SiloStatus status() {
    if (report != null) {
      return report.status();
    }
    return switch (executionStatus) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> SiloStatus.DEPLOYED;
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> SiloStatus.CANCELLED;
      default -> SiloStatus.ERROR;
    };
  }

  /** 0 when the silo is deployed, 1 otherwise. */
  int exitCode() {
    return status() == SiloStatus.DEPLOYED ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  /** The progress this outcome stands for, for a closed run whose query cannot be answered. */
  SiloProgress asProgress() {
    if (report == null) {
      return new SiloProgress(workflowId, status(), null, List.of(), null, null, List.of(), List.of(), null);
    }
    return new SiloProgress(
        workflowId, status(), null, report.steps(), null, null, report.degraded(), report.decisions(), report);
  }

  /** Prints how the run ended, as the report when it has one, and returns the matching exit code. */
  int print(Output output, SiloNames names) {
    if (report != null) {
      output.text("");
      output.text(ReportRenderer.render(report));
      output.document(report);
      return exitCode();
    }
    return output.withoutReport("the deployment of " + names.siloId() + " (workflow " + workflowId + ", run "
        + runId + ") ended " + closedAs() + " without a report" + (failure == null ? "" : ": " + failure),
        exitCode());
  }

  /** How Temporal closed the run, in its own words ({@code COMPLETED}, {@code TERMINATED}). */
  String closedAs() {
    return ExecutionStatuses.name(executionStatus);
  }
}
