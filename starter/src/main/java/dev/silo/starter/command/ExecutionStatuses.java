package dev.silo.starter.command;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;

/** Temporal's execution statuses as people read them in the Web UI. */
public final class ExecutionStatuses {

  private static final String PREFIX = "WORKFLOW_EXECUTION_STATUS_";

  private ExecutionStatuses() {}

  /** {@code RUNNING}, {@code COMPLETED}, {@code FAILED}, {@code CANCELED}, {@code TERMINATED}... */
  public static String name(WorkflowExecutionStatus status) {
    String name = status.name();
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  public static boolean isRunning(WorkflowExecutionStatus status) {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }
}
