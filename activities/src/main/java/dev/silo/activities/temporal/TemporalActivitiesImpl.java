package dev.silo.activities.temporal;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.temporal.DeleteScheduleRequest;
import dev.silo.workflows.temporal.ScheduleDeleted;
import dev.silo.workflows.temporal.TemporalActivities;
import dev.silo.workflows.temporal.WorkflowRunning;
import dev.silo.workflows.temporal.WorkflowRunningRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TemporalActivities} through the worker's own client, on its namespace. A server that does
 * not answer is {@code VENDOR_UNAVAILABLE} (retried); an absent run or schedule is an answer.
 */
public final class TemporalActivitiesImpl implements TemporalActivities {

  private static final Logger log = LoggerFactory.getLogger(TemporalActivitiesImpl.class);

  private final WorkflowClient client;
  private final ScheduleClient schedules;

  /** @param client the worker's client; its namespace is the one looked in */
  public TemporalActivitiesImpl(WorkflowClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter()).build());
  }

  @Override
  public WorkflowRunning siloWorkflowRunning(WorkflowRunningRequest request) {
    return running(client, request.workflowId());
  }

  /**
   * Whether the workflow ID's latest run is open, through {@code client}; absent is not running.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried) when the
   *     server does not answer
   */
  public static WorkflowRunning running(WorkflowClient client, String workflowId) {
    try {
      WorkflowExecutionDescription run = client.newUntypedWorkflowStub(workflowId).describe();
      boolean running = run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      return new WorkflowRunning(workflowId, running, running ? run.getExecution().getRunId() : null);
    } catch (WorkflowNotFoundException e) {
      return new WorkflowRunning(workflowId, false, null);
    } catch (RuntimeException e) {
      if (hasStatus(e, Status.Code.NOT_FOUND)) {
        return new WorkflowRunning(workflowId, false, null);
      }
      throw unavailable("describe workflow " + workflowId, e);
    }
  }

  @Override
  public ScheduleDeleted deleteSiloSchedule(DeleteScheduleRequest request) {
    try {
      schedules.getHandle(request.scheduleId()).delete();
      log.info("Schedule {} deleted", request.scheduleId());
      return new ScheduleDeleted(request.scheduleId(), true);
    } catch (RuntimeException e) {
      if (hasStatus(e, Status.Code.NOT_FOUND)) {
        log.info("Schedule {} was already absent", request.scheduleId());
        return new ScheduleDeleted(request.scheduleId(), false);
      }
      if (hasStatus(e, Status.Code.UNIMPLEMENTED)) {
        // Temporal's in-memory Java server (the embedded dev server) has no schedules, so none exists.
        log.info("The server has no schedules; {} cannot exist", request.scheduleId());
        return new ScheduleDeleted(request.scheduleId(), false);
      }
      throw unavailable("delete schedule " + request.scheduleId(), e);
    }
  }

  /** Whether the server answered with the code, however deep the client wrapped its answer. */
  private static boolean hasStatus(Throwable failure, Status.Code code) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status && status.getStatus().getCode() == code) {
        return true;
      }
    }
    return false;
  }

  private static ApplicationFailure unavailable(String operation, RuntimeException e) {
    return ApplicationFailure.newFailureWithCause("Temporal server: " + operation + " failed: " + e.getMessage(),
        FailureType.VENDOR_UNAVAILABLE.type(), e);
  }
}
