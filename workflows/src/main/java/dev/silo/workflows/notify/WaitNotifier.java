package dev.silo.workflows.notify;

import static dev.silo.workflows.ActivityRetries.retries;

import dev.silo.workflows.ActivityHeartbeats;
import dev.silo.workflows.summary.Waits;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells people, through the worker's {@value #WEBHOOK_VARIABLE}, that a run waits for one of them
 * ({@link #asked}) and, once the wait ends, how it ended ({@link #answered}). A worker without the
 * variable sends nothing and fails nothing.
 *
 * <p>Messages are sent on the side, in a detached scope, and a failed delivery is logged, never
 * thrown: a webhook outage neither delays nor fails a deployment, and a cancelled run still says
 * how its question ended. Each message's idempotency key is the run plus the question plus {@code
 * asked} or {@code answered}, so an activity retry is shown once by a receiver that honours the key,
 * and a replay sends nothing, as activities are never run again on replay.
 *
 * <p>Runs started before {@value #CHANGE} send nothing: the version is asked at the run's first
 * question, which is where the commands begin.
 */
public final class WaitNotifier {

  /** The change that sends these messages, for {@code Workflow.getVersion}. */
  public static final String CHANGE = "notify-when-waiting";

  /** The worker's variable holding the webhook URL; optional. */
  public static final String WEBHOOK_VARIABLE = "SILO_NOTIFY_WEBHOOK_URL";

  /**
   * One attempt is a single post; a receiver that is down is tried again for up to ten minutes,
   * while the run goes on without it. A worker that does not serve the activity at all (the SDK's
   * {@code IllegalArgumentException}: not registered) is not tried again, so that a run's end never
   * waits for messages that cannot go out. An attempt lasts at most {@link ActivityHeartbeats#TIMEOUT}
   * (a post sends no heartbeat), so one held by a worker that died is tried again within seconds;
   * its retry carries the same idempotency key.
   */
  static final ActivityOptions DELIVERY = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(ActivityHeartbeats.TIMEOUT)
      .setScheduleToCloseTimeout(Duration.ofMinutes(10))
      .setRetryOptions(notRetriedWhenUnserved(retries(8, Duration.ofSeconds(2))))
      .build();

  /**
   * How long a run that ends waits for the messages still on their way, whose activities the server
   * would drop once the run is closed. Only a receiver that is slow or down costs this wait.
   */
  static final Duration SETTLE = Duration.ofSeconds(30);

  private final List<Promise<Void>> deliveries = new ArrayList<>();
  private NotifyActivities notify;
  /** Whether this run sends the messages: null until its first question. */
  private Boolean sends;
  private WaitQuestion open;
  private int asked;

  /** Tells that the run waits for a person to answer {@code question}. */
  public void asked(WaitQuestion question) {
    if (sends == null) {
      sends = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    }
    if (!sends) {
      return;
    }
    asked++;
    open = question.id() == null ? withId(question, "question-" + asked) : question;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Workflow ID", Workflow.getInfo().getWorkflowId());
    fields.put("Who may answer", open.mayAnswer().isEmpty()
        ? "anyone the rules let decide (no approvers are named)" : String.join(", ", open.mayAnswer()));
    fields.put("Answer with", String.join("\n", open.commands()));
    fields.put("Deadline", open.deadline() == null ? "none: it waits until answered" : open.deadline().toString());
    send("asked", "*" + open.subject() + "* waits for a person: " + open.question(), fields);
  }

  /** Tells how the open question ended; does nothing when none is open. */
  public void answered(String how) {
    if (open == null) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Workflow ID", Workflow.getInfo().getWorkflowId());
    fields.put("Question", open.question());
    send("answered", "*" + open.subject() + "* no longer waits: " + how, fields);
    open = null;
  }

  /**
   * Waits, up to {@link #SETTLE}, for the messages still being delivered; call it as the run ends.
   * Nothing is waited for, and nothing enters the history, when every message is delivered.
   */
  public void settle() {
    if (deliveries.stream().allMatch(Promise::isCompleted)) {
      return;
    }
    Waits.await(SETTLE, "notifications still being delivered, up to 30s",
        () -> deliveries.stream().allMatch(Promise::isCompleted));
  }

  private void send(String phase, String text, Map<String, Object> fields) {
    WorkflowInfo info = Workflow.getInfo();
    // The run ID is in the key because a silo's workflow ID is used again by its next deployment.
    NotifyRequest request = new NotifyRequest(WEBHOOK_VARIABLE, null, text, fields,
        info.getWorkflowId() + "/" + info.getRunId() + "/" + open.id() + "/" + phase, true,
        new WorkflowRun(info.getNamespace(), info.getWorkflowId(), info.getRunId()));
    if (notify == null) {
      notify = Workflow.newActivityStub(NotifyActivities.class, DELIVERY);
    }
    NotifyActivities stub = notify;
    Workflow.newDetachedCancellationScope(() -> deliveries.add(Async.procedure(() -> deliver(stub, request)))).run();
  }

  private static void deliver(NotifyActivities stub, NotifyRequest request) {
    try {
      stub.notify(request);
    } catch (ActivityFailure failed) {
      // A message nobody got must not stop or fail the deployment it is about: the run shows its
      // question in progress and the Web UI, whatever the webhook does.
      Workflow.getLogger(WaitNotifier.class).warn("notification {} not delivered: {}", request.idempotencyKey(),
          failed.getCause() == null ? failed.getMessage() : failed.getCause().getMessage());
    }
  }

  private static RetryOptions notRetriedWhenUnserved(RetryOptions retries) {
    List<String> never = new ArrayList<>(List.of(retries.getDoNotRetry()));
    never.add(IllegalArgumentException.class.getName());
    return RetryOptions.newBuilder(retries).setDoNotRetry(never.toArray(String[]::new)).build();
  }

  private static WaitQuestion withId(WaitQuestion question, String id) {
    return new WaitQuestion(id, question.subject(), question.question(), question.mayAnswer(), question.commands(),
        question.deadline());
  }
}
