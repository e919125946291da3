package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import static dev.silo.workflows.silo.SiloFixture.BASE_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.BRANCH;
import static dev.silo.workflows.silo.SiloFixture.FOREIGN_COMMIT;
import static dev.silo.workflows.silo.SiloFixture.WORKFLOW_ID;
import static dev.silo.workflows.silo.SiloFixture.onlyApprovers;
import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.notify.NotifyActivities;
import dev.silo.workflows.notify.NotifyRequest;
import dev.silo.workflows.notify.WaitNotifier;
import dev.silo.workflows.notify.WebhookDelivery;
import dev.silo.workflows.notify.WorkflowRun;
import dev.silo.workflows.summary.ActivitySummaries;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * Every question the silo deployment asks a person is told once when asked, with who may answer and
 * the commands, and once when it ends, with how; a webhook that fails changes nothing of the run.
 */
@Timeout(60)
class WaitNotificationsTest {

  private static final String OPERATOR = "dana";

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();
  private final NotifyActivities notify = silo.notify;

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    doReturn(new WebhookDelivery(200, null)).when(notify).notify(any());
    silo.start(env, worker);
  }

  @Test
  void givenAnApprovalWait_whenAnApproverApproves_itShouldTellWhoMayAnswerHowAndThenWhoApproved() {
    SiloRun run = silo.startRun(request(onlyApprovers(APPROVER, "carol")));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    run.deployed();

    List<NotifyRequest> sent = sent(2);
    String runId = run.stub.getExecution().getRunId();
    NotifyRequest asked = sent.get(1);
    assertThat(asked.idempotencyKey()).isEqualTo(WORKFLOW_ID + "/" + runId + "/approval-1/asked");
    assertThat(asked.webhookEnvVar()).isEqualTo(WaitNotifier.WEBHOOK_VARIABLE).isEqualTo("SILO_NOTIFY_WEBHOOK_URL");
    assertThat(asked.skipWhenUnset()).isTrue();
    assertThat(asked.run()).isEqualTo(new WorkflowRun("UnitTest", WORKFLOW_ID, runId));
    assertThat(asked.text()).startsWith("*silo acme-crm* waits for a person: approve the deployment plan of acme-crm");
    assertThat(asked.fields()).containsEntry("Workflow ID", WORKFLOW_ID)
        .containsEntry("Who may answer", APPROVER + ", carol");
    assertThat((String) asked.fields().get("Answer with"))
        .contains("silo approve acme crm [--comment TEXT]", "silo reject acme crm --comment TEXT");
    assertThat((String) asked.fields().get("Deadline")).isNotBlank().doesNotStartWith("none");
    NotifyRequest answered = sent.get(0);
    assertThat(answered.idempotencyKey()).isEqualTo(WORKFLOW_ID + "/" + runId + "/approval-1/answered");
    assertThat(answered.text()).isEqualTo("*silo acme-crm* no longer waits: plan approved by bob (plan reviewed)");
    assertThat((String) answered.fields().get("Question")).startsWith("approve the deployment plan of acme-crm");
    assertThat(ActivitySummaries.of("Notify", new Object[] {asked})).isEqualTo("tell people: approval-1 asked");
  }

  @Test
  void givenAnApprovalWait_whenNobodyAnswers_itShouldSayItTimedOut() {
    SiloRun run = silo.startRun(request());

    run.failureReport(FailureType.SILO_DEPLOYMENT_ABORTED.type());

    List<NotifyRequest> sent = sent(2);
    assertThat(sent.get(1).fields()).containsEntry("Who may answer",
        "anyone the rules let decide (no approvers are named)");
    assertThat(sent.get(0).idempotencyKey()).endsWith("/approval-1/answered");
    assertThat(sent.get(0).text()).startsWith("*silo acme-crm* no longer waits: timed out: nobody answered by ");
  }

  @Test
  void givenABranchAtAnotherCommit_whenTheOverwriteIsDeclined_itShouldTellTheQuestionAndTheDecline() {
    doReturn(new BranchStatus(BRANCH, true, FOREIGN_COMMIT, "main", BASE_COMMIT)).when(silo.git).getBranchStatus(any());
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.awaitDecision(SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE);
    run.workflow.reject(new Decision(APPROVER, "keep it"));

    run.failureReport(FailureType.SILO_DEPLOYMENT_FAILED.type());

    List<NotifyRequest> sent = sent(4);
    assertThat(sent).extracting(request -> request.idempotencyKey().replaceFirst("^.*/([^/]+/[^/]+)$", "$1"))
        .containsExactly("approval-1/answered", "approval-1/asked", "branch-overwrite-2/answered",
            "branch-overwrite-2/asked");
    NotifyRequest asked = sent.get(3);
    assertThat(asked.text()).contains("branch silo/acme-crm exists at", "overwrite it?");
    assertThat((String) asked.fields().get("Answer with")).contains("silo confirm-branch-overwrite acme crm");
    assertThat(sent.get(2).text()).endsWith("no longer waits: branch overwrite declined by bob (keep it)");
  }

  @Test
  void givenTheDeskDownForThreeAttempts_whenAnOperatorRetries_itShouldTellTheRetryAndWhoSentIt() {
    KeyedDesk desk = new KeyedDesk().answering(silo.desk);
    desk.failNext(KeyedDesk.STATUS, 3);
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));
    run.awaitDecision(SiloDeploymentWorkflow.RETRY_DESK);
    run.workflow.retryDesk(new Decision(OPERATOR, "desk is back"));

    run.deployed();

    List<NotifyRequest> retry = sent(4).stream().filter(request -> request.idempotencyKey().contains("/desk-retry-"))
        .toList();
    assertThat(retry).hasSize(2);
    assertThat(retry.get(1).idempotencyKey()).endsWith("/asked");
    assertThat(retry.get(1).text()).contains("waits for a person: the desk failed 3 times");
    assertThat(retry.get(1).fields()).containsEntry("Deadline", "none: it waits until answered");
    assertThat((String) retry.get(1).fields().get("Answer with")).contains("silo retry-desk acme crm");
    assertThat(retry.get(0).text()).endsWith("no longer waits: desk updates retried by dana (desk is back)");
  }

  @Test
  void givenAWebhookThatKeepsFailing_whenTheRunWaitsAndIsApproved_itShouldStillDeploy() {
    doThrow(ApplicationFailure.newFailure("the notify webhook is unavailable (HTTP 503)",
        FailureType.VENDOR_UNAVAILABLE.type())).when(notify).notify(any());
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    SiloReport report = run.deployed();

    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    verify(notify, atLeast(2)).notify(any());
  }

  @Test
  void givenAWorkerWithoutTheWebhook_whenTheRunWaits_itShouldDeployAsBefore() {
    doReturn(WebhookDelivery.notConfigured()).when(notify).notify(any());
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approve(new Decision(APPROVER, "plan reviewed"));

    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(sent(2)).allMatch(NotifyRequest::skipWhenUnset);
  }

  @Test
  void givenAnApprovalWait_whenTheRunIsCancelled_itShouldSaySo() {
    SiloRun run = silo.startRun(request());
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    awaitNotifications(1);
    run.stub.cancel();

    run.assertCancelled();

    List<NotifyRequest> sent = sent(2);
    assertThat(sent.get(0).idempotencyKey()).endsWith("/approval-1/answered");
    assertThat(sent.get(0).text()).endsWith("no longer waits: the run was cancelled before anyone answered");
  }

  /**
   * What the run sent, ordered by idempotency key (a question's {@code answered} before its {@code
   * asked}), after checking how many messages there were. */
  private List<NotifyRequest> sent(int expected) {
    ArgumentCaptor<NotifyRequest> captor = ArgumentCaptor.forClass(NotifyRequest.class);
    verify(notify, atLeast(0)).notify(captor.capture());
    List<NotifyRequest> distinct = captor.getAllValues().stream()
        .collect(Collectors.toMap(NotifyRequest::idempotencyKey, request -> request,
            (first, retry) -> first))
        .values().stream().sorted(Comparator.comparing(NotifyRequest::idempotencyKey)).toList();
    assertThat(distinct).as("messages sent, one per question and phase").hasSize(expected);
    return distinct;
  }

  /** Waits, in real time with a bound, until the mock received this many messages. */
  private void awaitNotifications(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (mockingDetails(notify).getInvocations().size() < count) {
      assertThat(System.nanoTime()).as("notifications received in time").isLessThan(deadline);
      silo.env().sleep(Duration.ofMillis(250));
    }
  }
}
