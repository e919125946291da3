package dev.silo.worker.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark reads from one run's history: when it started and closed, how long it waited for
 * its approval, and each activity with its schedule, last start, close, attempt and worker.
 *
 * @param workflowId the run's workflow ID
 * @param started when the run started
 * @param closed when it closed, or null while open
 * @param approvalWait from the plan awaiting its approval to the approval received (zero when none)
 * @param approvedAt when the approval was received, or null
 * @param activities every activity, in the order scheduled
 * @param events how many events the history holds
 * @param completed whether the run completed (rather than failed, timed out, was cancelled...)
 * @param workflowTaskWaits for each workflow task, from scheduled to started (the wait for a worker)
 * @param workflowTaskRuns for each workflow task, from started to completed (the worker's run of it)
 */
record SiloHistory(String workflowId, Instant started, Instant closed, Duration approvalWait, Instant approvedAt,
    List<Activity> activities, int events, boolean completed, List<Duration> workflowTaskWaits,
    List<Duration> workflowTaskRuns) {

  SiloHistory(String workflowId, Instant started, Instant closed, Duration approvalWait, Instant approvedAt,
      List<Activity> activities, int events, boolean completed) {
    this(workflowId, started, closed, approvalWait, approvedAt, activities, events, completed, List.of(), List.of());
  }

  /** The name of the approval, as a signal and as an Update. */
  static final String APPROVE = "approve";

  /**
   * One activity.
   *
   * @param type the activity type
   * @param activityId its ID within the run
   * @param scheduled when it was scheduled
   * @param started when its last attempt started (null if none did)
   * @param closed when it completed, failed, timed out or was cancelled (null if open)
   * @param attempt the last attempt's number
   * @param identity the worker of the last attempt
   * @param succeeded whether it completed
   */
  record Activity(String type, String activityId, Instant scheduled, Instant started, Instant closed, int attempt,
      String identity, boolean succeeded) {

    /** The last attempt's own duration, zero if it did not run to an end. */
    Duration ran() {
      return started == null || closed == null ? Duration.ZERO : Duration.between(started, closed);
    }

    /** The caller the activity names in its vendor requests ({@code CallerHeader}). */
    String caller(String workflowId) {
      return workflowId + "/" + type + "/" + activityId;
    }
  }

  /** Reads the history of the run {@code workflowId}. */
  static SiloHistory of(String workflowId, List<HistoryEvent> events) {
    Map<Long, Activity> activities = new LinkedHashMap<>();
    Instant started = null;
    Instant closed = null;
    boolean completed = false;
    int approval = -1;
    List<Duration> taskWaits = new ArrayList<>();
    List<Duration> taskRuns = new ArrayList<>();
    Instant taskScheduled = null;
    Instant taskStarted = null;
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent event = events.get(i);
      Instant at = instant(event.getEventTime());
      EventType type = event.getEventType();
      switch (type) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> started = at;
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
          closed = at;
          completed = true;
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
            EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
            EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> closed = at;
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          if (approval < 0 && APPROVE.equals(event.getWorkflowExecutionSignaledEventAttributes().getSignalName())) {
            approval = i;
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          String name = event.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput()
              .getName();
          if (approval < 0 && APPROVE.equals(name)) {
            approval = i;
          }
        }
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> taskScheduled = at;
        case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
          if (taskScheduled != null) {
            taskWaits.add(Duration.between(taskScheduled, at));
          }
          taskStarted = at;
        }
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
          if (taskStarted != null) {
            taskRuns.add(Duration.between(taskStarted, at));
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          var attributes = event.getActivityTaskScheduledEventAttributes();
          activities.put(event.getEventId(), new Activity(attributes.getActivityType().getName(),
              attributes.getActivityId(), at, null, null, 0, null, false));
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          var attributes = event.getActivityTaskStartedEventAttributes();
          activities.computeIfPresent(attributes.getScheduledEventId(), (id, a) -> new Activity(a.type(),
              a.activityId(), a.scheduled(), at, null, attributes.getAttempt(), attributes.getIdentity(), false));
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            close(activities, event.getActivityTaskCompletedEventAttributes().getScheduledEventId(), at, true);
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            close(activities, event.getActivityTaskFailedEventAttributes().getScheduledEventId(), at, false);
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
            close(activities, event.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), at, false);
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
            close(activities, event.getActivityTaskCanceledEventAttributes().getScheduledEventId(), at, false);
        default -> { }
      }
    }
    Duration wait = Duration.ZERO;
    Instant approvedAt = null;
    if (approval >= 0) {
      // A signal is received when it is written; an Update when the server schedules the workflow
      // task that delivers it. The plan awaited it since the workflow task that completed before.
      int received = approval;
      if (events.get(approval).getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        received = previous(events, approval, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      }
      int awaiting = previous(events, received, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      if (received >= 0 && awaiting >= 0) {
        approvedAt = instant(events.get(received).getEventTime());
        wait = Duration.between(instant(events.get(awaiting).getEventTime()), approvedAt);
      }
    }
    return new SiloHistory(workflowId, started, closed, wait, approvedAt, new ArrayList<>(activities.values()),
        events.size(), completed, taskWaits, taskRuns);
  }

  /** The run's duration without its approval wait, or null while it is open. */
  Duration wall() {
    return closed == null ? null : Duration.between(started, closed).minus(approvalWait);
  }

  private static void close(Map<Long, Activity> activities, long scheduledId, Instant at, boolean succeeded) {
    activities.computeIfPresent(scheduledId, (id, a) -> new Activity(a.type(), a.activityId(), a.scheduled(),
        a.started(), at, a.attempt(), a.identity(), succeeded));
  }

  private static int previous(List<HistoryEvent> events, int from, EventType type) {
    for (int i = from - 1; i >= 0; i--) {
      if (events.get(i).getEventType() == type) {
        return i;
      }
    }
    return -1;
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
