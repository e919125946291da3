package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.REQUESTER;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.UNREADABLE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.notify.NotifyRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The approval gate and a watch window that could not decide tell people they are needed, once
 * when the wait starts and once when it ends; the pipeline's own notify steps are not among them.
 */
@Timeout(60)
class ReleaseWaitNotificationsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private TestWorkflowEnvironment env;
  private final ReleaseFixture fixture = new ReleaseFixture();

  @BeforeEach
  void start() {
    env = ReleaseFixture.testEnvironment();
    Worker worker = env.newWorker(TASK_QUEUE);
    fixture.register(env, worker);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenUatNeedsApproval_whenItsApproverApproves_itShouldTellTheQuestionWhoMayAnswerHowAndWhoApproved() {
    WorkflowStub run = start("uat");
    await("uat", p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);
    deployment("uat").approve(new Decision("@qa-lead", "smoke tests green"));

    assertThat(run.getResult(ReleaseReport.class).status()).isEqualTo(ReleaseStatus.SUCCEEDED);

    String uat = EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), "uat");
    List<NotifyRequest> sent = sorted(fixture.waitNotices);
    assertThat(sent).extracting(NotifyRequest::idempotencyKey)
        .allMatch(key -> key.startsWith(uat + "/"))
        .anyMatch(key -> key.endsWith("/approval/asked"))
        .anyMatch(key -> key.endsWith("/approval/answered"))
        .hasSize(2);
    NotifyRequest asked = sent.get(1);
    assertThat(asked.text()).isEqualTo("*release expenses v1.2.0 to uat* waits for a person: approve expenses v1.2.0"
        + " for uat? (1 approval(s) needed, requested by " + REQUESTER + ")");
    assertThat(asked.fields()).containsEntry("Workflow ID", uat).containsEntry("Who may answer", "@qa-lead");
    assertThat((String) asked.fields().get("Answer with"))
        .contains("silo release approve expenses uat [--comment TEXT]", "silo release reject expenses uat");
    assertThat(asked.skipWhenUnset()).isTrue();
    assertThat(asked.run().workflowId()).isEqualTo(uat);
    assertThat(sent.get(0).text()).isEqualTo("*release expenses v1.2.0 to uat* no longer waits: approved by @qa-lead");
    assertThat(fixture.notifications).as("the pipeline's own notify steps").isEmpty();
  }

  @Test
  void givenAnApprovalGate_whenNobodyApprovesInTime_itShouldSaySo() {
    WorkflowStub run = start("uat");
    await("uat", p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);

    assertThat(catchFailure(run)).isNotNull();

    List<NotifyRequest> sent = sorted(fixture.waitNotices);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).text()).endsWith("no longer waits: not approved within PT72H: 0 of 1 approval(s) received");
  }

  @Test
  void givenAnUnreadableMetricsSource_whenOnCallRollsBack_itShouldTellTheInconclusiveReadingsAndTheRollback() {
    fixture.metricsReadings.put("dev", new ArrayDeque<>(List.of(UNREADABLE)));
    WorkflowStub run = start("dev");
    await("dev", p -> p.status() == EnvironmentStatus.AWAITING_DECISION);
    deployment("dev").reject(new Decision("@oncall", "metrics are down, play safe"));

    assertThat(catchFailure(run)).isNotNull();

    List<NotifyRequest> sent = sorted(fixture.waitNotices);
    assertThat(sent).extracting(NotifyRequest::idempotencyKey)
        .satisfiesExactly(key -> assertThat(key).endsWith("/watch-decision/answered"),
            key -> assertThat(key).endsWith("/watch-decision/asked"));
    NotifyRequest asked = sent.get(1);
    assertThat(asked.text()).startsWith("*release expenses v1.2.0 to dev* waits for a person: the watch window could"
        + " not tell whether v1.2.0 is healthy (1 inconclusive reading(s) of error_rate > 1% (limit 1)");
    assertThat(asked.fields()).containsEntry("Who may answer", "anyone the rules let decide (no approvers are named)");
    assertThat((String) asked.fields().get("Answer with"))
        .contains("silo release approve expenses dev [--comment TEXT]   (accepts the version)",
            "silo release reject expenses dev --comment TEXT   (rolls it back)");
    assertThat(sent.get(0).text()).contains("no longer waits: rolled back by @oncall (metrics are down, play safe)");
  }

  private WorkflowStub start(String target) {
    ReleasePipelineWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, target, REQUESTER, false, false));
    return WorkflowStub.fromTyped(workflow);
  }

  private EnvironmentDeploymentWorkflow deployment(String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment));
  }

  private void await(String environment, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(environment).progress();
        if (condition.test(last)) {
          return;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the earlier environments have succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never reached the expected state; last: " + last);
  }

  private static WorkflowException catchFailure(WorkflowStub run) {
    try {
      run.getResult(ReleaseReport.class);
      return null;
    } catch (WorkflowException failed) {
      return failed;
    }
  }

  /** Ordered by idempotency key: a question's {@code answered} before its {@code asked}. */
  private static List<NotifyRequest> sorted(List<NotifyRequest> sent) {
    return sent.stream().sorted(Comparator.comparing(NotifyRequest::idempotencyKey)).toList();
  }
}
