package dev.silo.starter;

import dev.silo.client.TemporalConnection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds any workflow run by ID and asks it a query with a deadline of its own. A null run ID means
 * the latest run of the workflow ID.
 */
final class RunLookup {

  private RunLookup() {}

  /** The run, or empty when the server has no run of this workflow ID. */
  static Optional<WorkflowExecutionMetadata> find(TemporalConnection connection, String workflowId, String runId) {
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
  static <T> T query(
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

  /** Whether a query went unanswered because the server has no such workflow. */
  static boolean noSuchRun(ProgressUnavailableException unavailable) {
    return notFound(unavailable.getCause());
  }

  private static boolean notFound(Throwable error) {
    return error instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.NOT_FOUND;
  }
}
