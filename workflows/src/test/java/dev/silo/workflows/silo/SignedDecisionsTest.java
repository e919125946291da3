package dev.silo.workflows.silo;

import static dev.silo.workflows.silo.SiloFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SshKeygenKeys.Key;
import dev.silo.workflows.SshKeygenKeys;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions signed with people's SSH keys (made and signed by the real {@code ssh-keygen}),
 * verified by the silo workflow against the worker's allowed signers: the start names the
 * requester, an Update that may not count is refused by its validator and leaves nothing behind,
 * a signal is ignored and recorded, and an approval is bound to the plan it was made on.
 */
@Timeout(60)
class SignedDecisionsTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  @TempDir
  static Path keysDir;

  static SshKeygenKeys keys;
  static Key alice;
  static Key bob;
  static Key mallory;

  private final SiloFixture silo = new SiloFixture();

  @BeforeAll
  static void makeKeys() {
    keys = new SshKeygenKeys(keysDir);
    alice = keys.generate("alice@example.com");
    bob = keys.generate("bob@example.com", "ecdsa");
    mallory = keys.generate("mallory@example.com");
  }

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.trust.set(keys.allowedSigners(alice, bob));
    silo.start(env, worker);
  }

  @Test
  void givenSignedStartAndApproval_itShouldDeployAndRecordThePrincipalsKeysAndPlan() {
    SiloRun run = silo.startRun(signedBy(alice, request()));
    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    assertThat(waiting.planHash()).startsWith("sha256:");

    DecisionRecord accepted = run.workflow.approveUpdate(signed(bob, run, waiting.planHash(),
        SiloDeploymentWorkflow.APPROVE, "plan reviewed"));

    assertThat(accepted.accepted()).isTrue();
    assertThat(accepted.actor()).isEqualTo("bob@example.com");
    SiloReport report = run.deployed();
    assertThat(report.requester()).isEqualTo("alice@example.com");
    assertThat(report.planHash()).isEqualTo(waiting.planHash());
    assertThat(report.decisions())
        .extracting(DecisionRecord::signal, DecisionRecord::actor, DecisionRecord::fingerprint,
            DecisionRecord::planHash, DecisionRecord::signature, DecisionRecord::via, DecisionRecord::accepted)
        .containsExactly(tuple(SiloDeploymentWorkflow.APPROVE, "bob@example.com", bob.fingerprint(),
            waiting.planHash(), DecisionRecord.SIGNED, "update", true));
  }

  @Test
  void givenTheRequestersOwnKey_theValidatorShouldRefuseTheApprovalAndRecordNothing() {
    SiloRun run = silo.startRun(signedBy(alice, request()));
    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    assertRefused(() -> run.workflow.approveUpdate(signed(alice, run, waiting.planHash(),
        SiloDeploymentWorkflow.APPROVE, "")), "alice@example.com requested this run");

    assertThat(run.workflow.progress().decisions()).isEmpty();
    rejectAndEnd(run, waiting);
  }

  @Test
  void givenForgedOrMisdirectedSignatures_theValidatorShouldRefuseEachWithItsReason() {
    SiloRun run = silo.startRun(signedBy(alice, request()));
    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    String plan = waiting.planHash();

    assertRefused(() -> run.workflow.approveUpdate(signed(mallory, run, plan, SiloDeploymentWorkflow.APPROVE, "")),
        "is not in");
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob@example.com", "", plan, null)),
        "unsigned decisions are refused");
    String otherPlan = DecisionText.hash("another plan");
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob", "", otherPlan,
        keys.sign(bob, DecisionText.decision(SiloFixture.WORKFLOW_ID, runId(run), otherPlan, "approval-1", "approve",
            "")))),
        "signed for plan");
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob", "", plan,
        keys.sign(bob, DecisionText.decision(SiloFixture.WORKFLOW_ID, "another-run", plan, "approval-1", "approve",
            "")))),
        "does not match");
    // Signed for a reject, sent as an approval.
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob", "ok", plan,
        keys.sign(bob, DecisionText.decision(SiloFixture.WORKFLOW_ID, runId(run), plan, "approval-1", "reject",
            "ok")))),
        "does not match");
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob", "", plan, "-----BEGIN SSH SIGNATURE-----\nAAAA\n"
        + "-----END SSH SIGNATURE-----\n")), "");
    assertRefused(() -> run.workflow.confirmBranchOverwriteUpdate(signed(bob, run, plan,
        SiloDeploymentWorkflow.CONFIRM_BRANCH_OVERWRITE, "")), "nothing is waiting for a branch overwrite");

    assertThat(run.workflow.progress().decisions()).isEmpty();
    assertThat(run.workflow.progress().status()).isEqualTo(SiloStatus.AWAITING_APPROVAL);
    rejectAndEnd(run, waiting);
  }

  @Test
  void givenAnUnsignedSignal_itShouldBeIgnoredAndRecordedAsUnsigned() {
    SiloRun run = silo.startRun(signedBy(alice, request()));
    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.approve(new Decision("bob@example.com", "from the Web UI"));

    SiloProgress after = run.awaitProgress(progress -> !progress.decisions().isEmpty(), "the ignored signal");
    assertThat(after.decisions()).extracting(DecisionRecord::accepted, DecisionRecord::signature, DecisionRecord::via)
        .containsExactly(tuple(false, DecisionRecord.UNSIGNED, "signal"));
    assertThat(after.decisions().get(0).note()).startsWith("ignored: unsigned decisions are refused");
    assertThat(after.status()).isEqualTo(SiloStatus.AWAITING_APPROVAL);
    rejectAndEnd(run, waiting);
  }

  @Test
  void givenASiloThatAdmitsUnsignedDecisions_anUnsignedApprovalShouldCountAndBeMarkedUnsigned() {
    SiloConfig base = SiloFixture.config();
    doReturn(admittingUnsigned(base)).when(silo.config).loadSiloConfig(any());
    SiloRun run = silo.startRun(signedBy(alice, request()));
    run.awaitDecision(SiloDeploymentWorkflow.APPROVE);

    run.workflow.approveUpdate(new Decision("carol", "Web UI"));

    SiloReport report = run.deployed();
    assertThat(report.decisions()).extracting(DecisionRecord::actor, DecisionRecord::signature, DecisionRecord::accepted)
        .containsExactly(tuple("carol", DecisionRecord.UNSIGNED, true));
  }

  @Test
  void givenAnUnsignedStart_theRunShouldEndAsAnInvalidRequestBeforeReadingAnything() {
    SiloRun run = silo.startRun(request());

    ApplicationFailure failure = run.failure();

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("the start request is not signed");
    verifyNoInteractions(silo.config, silo.desk, silo.fly, silo.git);
  }

  @Test
  void givenAStartSignedForAnotherRequest_theRunShouldRefuseIt() {
    SiloDeploymentRequest request = request();
    String signedAt = Instant.now().toString();
    String otherText = request(SiloFixture.onlyApprovers("alice@example.com")).signedText();
    SiloRun run = silo.startRun(request.signed(new StartSignature(signedAt,
        keys.sign(alice, DecisionText.start(SiloFixture.WORKFLOW_ID, otherText, signedAt)))));

    ApplicationFailure failure = run.failure();

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("the start signature is refused");
  }

  @Test
  void givenAPlanThatChangesAfterItsApproval_theApprovalShouldBeVoidAndTheRunShouldAskAgain() {
    SiloConfig first = SiloFixture.config();
    List<MigrationFile> more = new ArrayList<>(first.migrations());
    more.add(new MigrationFile("20250103100000", "add_index", "20250103100000_add_index.sql",
        "create index on public.customers (name);"));
    SiloConfig changed = new SiloConfig(first.client(), first.app(), first.directory(), first.composeFile(),
        first.services(), first.flyApps(), first.netlifyEnv(), more, first.dockerTaskQueue());
    doReturn(first).doReturn(changed).when(silo.config).loadSiloConfig(any());
    SiloRun run = silo.startRun(signedBy(alice, request()));
    SiloProgress firstAsk = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approveUpdate(signed(bob, run, firstAsk.planHash(), SiloDeploymentWorkflow.APPROVE, ""));

    SiloProgress secondAsk = run.awaitProgress(progress -> progress.pending() != null
        && !firstAsk.planHash().equals(progress.planHash()), "the changed plan asked about again");

    assertThat(secondAsk.plan().migrations()).contains("20250103100000_add_index.sql");
    assertThat(secondAsk.decisions()).extracting(DecisionRecord::accepted).containsExactly(true, false);
    assertThat(secondAsk.decisions().get(1).note()).startsWith("approvals void: the plan changed");
    assertRefused(() -> run.workflow.approveUpdate(signed(bob, run, firstAsk.planHash(),
        SiloDeploymentWorkflow.APPROVE, "")), "signed for plan");
    assertThat(firstAsk.pending().id()).isEqualTo("approval-1");
    assertThat(secondAsk.pending().id()).isEqualTo("approval-2");
    // A signature over the right plan but for the earlier question answers only that question.
    assertRefused(() -> run.workflow.approveUpdate(new Decision("bob", "", secondAsk.planHash(),
        keys.sign(bob, DecisionText.decision(SiloFixture.WORKFLOW_ID, runId(run), secondAsk.planHash(), "approval-1",
            "approve", "")))), "does not match");
    run.workflow.approveUpdate(signed(bob, run, secondAsk.planHash(), SiloDeploymentWorkflow.APPROVE, ""));
    SiloReport report = run.deployed();
    assertThat(report.planHash()).isEqualTo(secondAsk.planHash());
  }

  @Test
  void givenARequestAllowingSelfApproval_aSigningWorkerShouldRefuseItBeforeReadingAnything() {
    SiloDeploymentRequest request = request(new ApprovalPolicy(List.of(), true, ApprovalPolicy.DEFAULT_TIMEOUT));

    ApplicationFailure failure = silo.startRun(signedBy(alice, request)).failure();

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).startsWith("allow-self-approval is refused");
    verifyNoInteractions(silo.config);
  }

  private static SiloConfig admittingUnsigned(SiloConfig base) {
    return new SiloConfig(base.client(), base.app(), base.directory(), base.composeFile(), base.services(),
        base.flyApps(), base.netlifyEnv(), base.migrations(), base.dockerTaskQueue(), true);
  }

  private void rejectAndEnd(SiloRun run, SiloProgress waiting) {
    run.workflow.rejectUpdate(signed(bob, run, waiting.planHash(), SiloDeploymentWorkflow.REJECT, "test over"));
    assertThat(run.failure().getType()).isEqualTo(FailureType.SILO_DEPLOYMENT_ABORTED.type());
  }

  private static void assertRefused(Runnable update, String reason) {
    assertThatThrownBy(update::run)
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        // The SDK reports a validator's refusal under its own failure type; the reason is the message.
        .satisfies(cause -> assertThat(((ApplicationFailure) cause).getOriginalMessage()).contains(reason));
  }

  @Test
  void givenGuidedFailure_aStepDecisionShouldBeSignedForItsQuestionAndRefusedFromTheRequestersOwnKey() {
    doThrow(ApplicationFailure.newNonRetryableFailure("machine never passed its health checks", "DEPLOY_FAILED"))
        .doAnswer(call -> SiloFixture.startedMachine(call.getArgument(0)))
        .when(silo.fly).deployApp(argThat(request -> SiloFixture.flyApp("studio").equals(request.appName())));
    SiloRun run = silo.startRun(signedBy(alice, request().withOnFailure(OnFailure.ASK)));
    SiloProgress waiting = run.awaitDecision(SiloDeploymentWorkflow.APPROVE);
    run.workflow.approveUpdate(signed(bob, run, waiting.planHash(), SiloDeploymentWorkflow.APPROVE, ""));
    SiloProgress failed = run.awaitDecision(SiloDeploymentWorkflow.RETRY_STEP);
    String plan = failed.planHash();

    // Numbered in the run's sequence of questions, after the approval.
    assertThat(failed.pending().id()).isEqualTo("step-failure-2");
    assertRefused(() -> run.workflow.retryStepUpdate(signed(alice, run, plan, SiloDeploymentWorkflow.RETRY_STEP, "")),
        "alice@example.com requested this run");
    assertRefused(() -> run.workflow.retryStepUpdate(new Decision("bob", "", plan, null)),
        "unsigned decisions are refused");
    // Signed for an abort, sent as a retry.
    assertRefused(() -> run.workflow.retryStepUpdate(new Decision("bob", "", plan, keys.sign(bob,
        DecisionText.decision(SiloFixture.WORKFLOW_ID, runId(run), plan, "step-failure-2", "abortStep", "")))),
        "does not match");
    DecisionRecord retried =
        run.workflow.retryStepUpdate(signed(bob, run, plan, SiloDeploymentWorkflow.RETRY_STEP, "image fixed"));

    assertThat(retried.actor()).isEqualTo("bob@example.com");
    assertThat(retried.signature()).isEqualTo(DecisionRecord.SIGNED);
    assertThat(run.deployed().status()).isEqualTo(SiloStatus.DEPLOYED);
  }

  private static String runId(SiloRun run) {
    return run.stub.getExecution().getRunId();
  }

  private static Decision signed(Key key, SiloRun run, String planHash, String kind, String comment) {
    String question = run.workflow.progress().pending().id();
    String text = DecisionText.decision(SiloFixture.WORKFLOW_ID, runId(run), planHash, question, kind, comment);
    return new Decision(key.principal(), comment, planHash, keys.sign(key, text));
  }

  private static SiloDeploymentRequest signedBy(Key key, SiloDeploymentRequest request) {
    String signedAt = Instant.now().toString();
    return request.signed(new StartSignature(signedAt,
        keys.sign(key, DecisionText.start(SiloFixture.WORKFLOW_ID, request.signedText(), signedAt))));
  }
}
