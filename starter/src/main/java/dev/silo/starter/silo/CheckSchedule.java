package dev.silo.starter.silo;

import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.drift.CheckNames;
import dev.silo.workflows.drift.SiloCheckRequest;
import dev.silo.workflows.drift.SiloCheckWorkflow;
import dev.silo.workflows.silo.SiloNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;

/**
 * A silo's drift-check schedule, {@code silo-check-{client}-{app}}: created, or updated in place
 * when it exists (so {@code --every} can change), or deleted. A check still running when the next
 * is due makes the schedule skip that one rather than run two at once.
 */
final class CheckSchedule {

  /** What was done to the schedule. */
  enum Change { CREATED, UPDATED, DELETED, ABSENT }

  /**
   * The json output of {@code --schedule} and {@code --unschedule}.
   *
   * @param every the interval, null after {@code --unschedule}
   */
  record ScheduleResult(String scheduleId, Change change, Duration every, String workflowIdPrefix) {}

  private CheckSchedule() {}

  static ScheduleResult put(ScheduleClient schedules, SiloNames names, Duration every) {
    Schedule schedule = schedule(names, every);
    String id = names.checkScheduleId();
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      return new ScheduleResult(id, Change.CREATED, every, CheckNames.scheduledWorkflowId(names));
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(id).update(current -> new ScheduleUpdate(schedule));
      return new ScheduleResult(id, Change.UPDATED, every, CheckNames.scheduledWorkflowId(names));
    }
  }

  static ScheduleResult delete(ScheduleClient schedules, SiloNames names) {
    String id = names.checkScheduleId();
    ScheduleHandle handle = schedules.getHandle(id);
    try {
      handle.delete();
      return new ScheduleResult(id, Change.DELETED, null, CheckNames.scheduledWorkflowId(names));
    } catch (RuntimeException e) {
      if (notFound(e)) {
        return new ScheduleResult(id, Change.ABSENT, null, CheckNames.scheduledWorkflowId(names));
      }
      throw e;
    }
  }

  private static Schedule schedule(SiloNames names, Duration every) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(SiloCheckWorkflow.class)
            .setArguments(new SiloCheckRequest(names.client(), names.app()))
            .setOptions(WorkflowOptions.newBuilder()
                .setWorkflowId(CheckNames.scheduledWorkflowId(names))
                .setTaskQueue(TaskQueues.SILO)
                .build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(every))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
  }

  private static boolean notFound(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }
}
