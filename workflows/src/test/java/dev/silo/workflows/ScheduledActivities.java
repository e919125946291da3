package dev.silo.workflows;

import com.google.protobuf.util.Durations;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The activities runs actually scheduled, read from their histories with the timeouts the server
 * recorded for each: what a workflow's activity options are, as opposed to what a constant says.
 */
public final class ScheduledActivities {

  /**
   * One scheduled activity.
   *
   * @param workflowId the run that scheduled it
   * @param activityType its type, as the history names it
   * @param startToClose its start-to-close timeout
   * @param heartbeat its heartbeat timeout, zero for none
   */
  public record Scheduled(String workflowId, String activityType, Duration startToClose, Duration heartbeat) {

    @Override
    public String toString() {
      return activityType + " in " + workflowId + " (start-to-close " + startToClose + ", heartbeat "
          + heartbeat + ")";
    }
  }

  private ScheduledActivities() {}

  /**
   * Every activity the given runs and the child workflows they started scheduled, in the order of
   * their histories.
   */
  public static List<Scheduled> of(WorkflowClient client, String... workflowIds) {
    Deque<String> toRead = new ArrayDeque<>(List.of(workflowIds));
    Set<String> read = new LinkedHashSet<>();
    List<Scheduled> scheduled = new ArrayList<>();
    while (!toRead.isEmpty()) {
      String workflowId = toRead.pop();
      if (!read.add(workflowId)) {
        continue;
      }
      for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          ActivityTaskScheduledEventAttributes attributes = event.getActivityTaskScheduledEventAttributes();
          scheduled.add(new Scheduled(workflowId, attributes.getActivityType().getName(),
              Duration.ofMillis(Durations.toMillis(attributes.getStartToCloseTimeout())),
              Duration.ofMillis(Durations.toMillis(attributes.getHeartbeatTimeout()))));
        } else if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
          toRead.add(event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId());
        }
      }
    }
    return scheduled;
  }
}
