package dev.silo.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiloHistoryTest {

  private final List<HistoryEvent> events = new ArrayList<>();

  private HistoryEvent.Builder event(EventType type, long second) {
    return HistoryEvent.newBuilder().setEventId(events.size() + 1).setEventType(type)
        .setEventTime(Timestamp.newBuilder().setSeconds(1_000 + second));
  }

  private void add(HistoryEvent.Builder event) {
    events.add(event.build());
  }

  @Test
  void givenAnApprovalSignal_theWallShouldLeaveOutTheWaitSinceTheLastWorkflowTask() {
    add(event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0));
    add(event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 1).setActivityTaskScheduledEventAttributes(
        ActivityTaskScheduledEventAttributes.newBuilder().setActivityId("1")
            .setActivityType(ActivityType.newBuilder().setName("LoadSiloConfig"))));
    add(event(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, 2).setActivityTaskStartedEventAttributes(
        ActivityTaskStartedEventAttributes.newBuilder().setScheduledEventId(2).setAttempt(1).setIdentity("7@host")));
    add(event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 3).setActivityTaskCompletedEventAttributes(
        ActivityTaskCompletedEventAttributes.newBuilder().setScheduledEventId(2)));
    add(event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 4));
    add(event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 60).setWorkflowExecutionSignaledEventAttributes(
        WorkflowExecutionSignaledEventAttributes.newBuilder().setSignalName("approve")));
    add(event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 61));
    add(event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 70));

    SiloHistory history = SiloHistory.of("silo-a-b", events);

    assertThat(history.approvalWait()).isEqualTo(Duration.ofSeconds(56));
    assertThat(history.wall()).isEqualTo(Duration.ofSeconds(14));
    assertThat(history.completed()).isTrue();
    assertThat(history.events()).isEqualTo(8);
    assertThat(history.activities()).singleElement().satisfies(activity -> {
      assertThat(activity.type()).isEqualTo("LoadSiloConfig");
      assertThat(activity.ran()).isEqualTo(Duration.ofSeconds(1));
      assertThat(activity.identity()).isEqualTo("7@host");
      assertThat(activity.succeeded()).isTrue();
    });
  }
}
