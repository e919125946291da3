package dev.silo.starter.release;

import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.FailureDetails;
import dev.silo.starter.output.Output;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;

/**
 * How a closed promotion ended: its report (the result, or the first detail of the {@code
 * RELEASE_FAILED} failure) and, when it did not succeed, why.
 *
 * @param workflowId the workflow ID
 * @param runId the run
 * @param executionStatus Temporal's status of the run
 * @param report the report, or null when the run ended without one (terminated, timed out, refused
 *     before it started)
 * @param failure why it did not succeed, or null
 */
record ReleaseOutcome(
    String workflowId, String runId, WorkflowExecutionStatus executionStatus, ReleaseReport report, String failure) {

  /** Reads the outcome of a closed run from its history; no worker is needed. */
  static ReleaseOutcome read(WorkflowStub stub, WorkflowExecutionMetadata run) {
    String workflowId = run.getExecution().getWorkflowId();
    String runId = run.getExecution().getRunId();
    try {
      return new ReleaseOutcome(workflowId, runId, run.getStatus(), stub.getResult(ReleaseReport.class), null);
    } catch (WorkflowFailedException e) {
      // Only the promotion's own failure carries its report; a refused request carries none.
      ReleaseReport report = e.getCause() instanceof ApplicationFailure application
          && FailureType.RELEASE_FAILED.type().equals(application.getType())
          ? FailureDetails.report(application, ReleaseReport.class)
          : null;
      String failure =
          report != null && report.reason() != null ? report.reason() : FailureDetails.message(e.getCause());
      return new ReleaseOutcome(workflowId, runId, run.getStatus(), report, failure);
    }
  }

  /** The same outcome with the report the run's progress holds. */
  ReleaseOutcome withReport(ReleaseReport progressReport) {
    return new ReleaseOutcome(workflowId, runId, executionStatus, progressReport,
        progressReport.reason() != null ? progressReport.reason() : failure);
  }

  /**
   * 0 when every environment up to the target succeeded, or an automatic run had nothing to do; 1
   * otherwise.
   */
  int exitCode() {
    boolean succeeded = report != null
        ? report.status() == ReleaseStatus.SUCCEEDED || report.status() == ReleaseStatus.SKIPPED
        : executionStatus == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
    return succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  /** Prints how the promotion ended, as the report when it has one, and returns the matching exit code. */
  int print(Output output) {
    if (report != null) {
      output.text("");
      output.text(ReleaseReportRenderer.render(report, workflowId));
      output.document(report);
      return exitCode();
    }
    return output.withoutReport("the release (workflow " + workflowId + ", run " + runId + ") ended " + closedAs()
        + " without a report" + (failure == null ? "" : ": " + failure), exitCode());
  }

  /** How Temporal closed the run, in its own words ({@code COMPLETED}, {@code TERMINATED}). */
  String closedAs() {
    return ExecutionStatuses.name(executionStatus);
  }
}
