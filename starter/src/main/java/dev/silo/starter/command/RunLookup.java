package dev.silo.starter.command;

import dev.silo.client.TemporalConnection;
import dev.silo.starter.output.TextStyle;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds any workflow run by ID, asks it a query with a deadline of its own, and waits a moment for
 * its end, as every command that follows a run does. A null run ID means the latest run of the
 * workflow ID.
 */
public final class RunLookup {

  /** How long to wait for a worker to replay a closed run; its history holds the report anyway. */
  public static final Duration CLOSED_RUN_QUERY_DEADLINE = Duration.ofSeconds(3);

  /** How long to wait for a worker to answer for a running run. */
  public static final Duration RUNNING_QUERY_DEADLINE = Duration.ofSeconds(10);

  /** How long each wait for the run's end lasts before the progress is asked again. */
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private RunLookup() {}

  /** The run, or empty when the server has no run of this workflow ID. */
  public static Optional<WorkflowExecutionMetadata> find(TemporalConnection connection, String workflowId, String runId) {
    try {
      return Optional.of(
          connection.client().newUntypedWorkflowStub(workflowId, Optional.ofNullable(runId), Optional.empty())
              .describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (notFound(e.getCause())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Asks a run a query. A worker must answer, replaying the history for a closed run; when none
   * does within {@code deadline}, or there is no such run, the answer is unavailable. The SDK's own
   * query would keep retrying for minutes, which is why the RPC is made here with a deadline of its
   * own.
   */
  public static <T> T query(
      TemporalConnection connection, String workflowId, String runId, String queryType, Class<T> type,
      Duration deadline) {
    QueryWorkflowRequest request =
        QueryWorkflowRequest.newBuilder()
            .setNamespace(connection.namespace())
            .setExecution(
                WorkflowExecution.newBuilder()
                    .setWorkflowId(workflowId)
                    .setRunId(runId == null ? "" : runId))
            .setQuery(WorkflowQuery.newBuilder().setQueryType(queryType))
            .build();
    QueryWorkflowResponse response;
    try {
      response =
          connection
              .stubs()
              .blockingStub()
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(request);
    } catch (StatusRuntimeException e) {
      String reason =
          e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
              ? "no worker answered within " + TextStyle.duration(deadline)
              : Errors.message(e);
      throw new ProgressUnavailableException(reason, e);
    }
    if (response.hasQueryRejected()) {
      throw new ProgressUnavailableException(
          "the run refused the query (" + ExecutionStatuses.name(response.getQueryRejected().getStatus()) + ")",
          null);
    }
    return connection.client()
        .getOptions()
        .getDataConverter()
        .fromPayloads(0, Optional.of(response.getQueryResult()), type, type);
  }

  /**
   * Waits up to the poll interval for the run's end; whether it has ended. A real server answers
   * RESOURCE_EXHAUSTED ("Workflow is busy.") while the run's own events hold its lock, as when
   * parallel activities complete at once: that is asked again at the next poll, like a timeout.
   */
  public static boolean ended(WorkflowStub stub, Class<?> resultType) {
    try {
      stub.getResult(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS, resultType);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (WorkflowFailedException e) {
      return true;
    } catch (RuntimeException e) {
      if (busy(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether the server said it is too busy with the run to answer now. */
  private static boolean busy(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  /** Whether a query went unanswered because the server has no such workflow. */
  public static boolean noSuchRun(ProgressUnavailableException unavailable) {
    return notFound(unavailable.getCause());
  }

  private static boolean notFound(Throwable error) {
    return error instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.NOT_FOUND;
  }
}
