package dev.silo.workflows.release;

import static dev.silo.workflows.release.ReleaseFixture.PROJECT;
import static dev.silo.workflows.release.ReleaseFixture.TASK_QUEUE;
import static dev.silo.workflows.release.ReleaseFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.SshKeygenKeys.Key;
import dev.silo.workflows.SshKeygenKeys;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release approvals signed with people's SSH keys (made and signed by the real {@code ssh-keygen}):
 * the pipeline knows its requester by the key that signed the start, the gates accept only named
 * approvers' signatures over what they ask about, and refuse the rest through the Update validator.
 */
@Timeout(90)
class SignedReleaseDecisionsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  static Path keysDir;

  static SshKeygenKeys keys;
  static Key releaseBot;
  static Key qaLead;
  static Key devopsLead;
  static Key engineeringManager;
  static Key mallory;

  private TestWorkflowEnvironment env;
  private final ReleaseFixture fixture = new ReleaseFixture();

  @BeforeAll
  static void makeKeys() {
    keys = new SshKeygenKeys(keysDir);
    releaseBot = keys.generate("release-bot");
    qaLead = keys.generate("qa-lead", "ecdsa");
    devopsLead = keys.generate("devops-lead");
    engineeringManager = keys.generate("engineering-manager", "rsa");
    mallory = keys.generate("mallory");
  }

  @BeforeEach
  void start() {
    env = ReleaseFixture.testEnvironment();
    Worker worker = env.newWorker(TASK_QUEUE);
    fixture.trust.set(keys.allowedSigners(releaseBot, qaLead, devopsLead, engineeringManager));
    fixture.register(env, worker);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenSignedDecisions_whenPromotedToProd_onlyNamedApproversOtherThanTheRequestersKeyShouldCount() {
    WorkflowStub release = start(releaseBot);
    EnvironmentProgress uat = awaitApproval("uat");
    assertThat(uat.planHash()).startsWith("sha256:");
    assertRefused(() -> deployment("uat").approveUpdate(new Decision("qa-lead", "", uat.planHash(), null)),
        "unsigned decisions are refused");
    assertRefused(() -> deployment("uat").approveUpdate(signed(mallory, "uat", uat.planHash(), "approve", "")),
        "is not in");
    deployment("uat").approveUpdate(signed(qaLead, "uat", uat.planHash(), "approve", "smoke tests green"));

    EnvironmentProgress prod = awaitApproval("prod");
    assertRefused(() -> deployment("prod").approveUpdate(signed(releaseBot, "prod", prod.planHash(), "approve", "")),
        "release-bot");
    deployment("prod").approveUpdate(signed(devopsLead, "prod", prod.planHash(), "approve", "go"));
    assertRefused(() -> deployment("prod").approveUpdate(signed(devopsLead, "prod", prod.planHash(), "approve", "")),
        "has already approved");
    DecisionRecord second = deployment("prod").approveUpdate(
        signed(engineeringManager, "prod", prod.planHash(), "approve", "go"));
    assertThat(second.note()).isEqualTo("approval 2 of 2");

    ReleaseReport report = release.getResult(ReleaseReport.class);
    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.requester()).isEqualTo("release-bot");
    EnvironmentReport prodReport = report.environments().get(3);
    assertThat(prodReport.approval().approvedBy()).containsExactly("devops-lead", "engineering-manager");
    assertThat(prodReport.decisions())
        .extracting(DecisionRecord::actor, DecisionRecord::fingerprint, DecisionRecord::signature,
            DecisionRecord::planHash)
        .containsExactly(
            tuple("devops-lead", devopsLead.fingerprint(), DecisionRecord.SIGNED, prod.planHash()),
            tuple("engineering-manager", engineeringManager.fingerprint(), DecisionRecord.SIGNED, prod.planHash()));
  }

  @Test
  void givenAnUnsignedSignal_atAGateThatRequiresApproval_itShouldBeIgnoredAndRecorded() {
    WorkflowStub release = start(releaseBot);
    EnvironmentProgress uat = awaitApproval("uat");

    deployment("uat").approve(new Decision("qa-lead", "from the Web UI"));

    EnvironmentProgress after = await("uat", progress -> !progress.decisions().isEmpty());
    assertThat(after.decisions()).extracting(DecisionRecord::accepted, DecisionRecord::signature)
        .containsExactly(tuple(false, DecisionRecord.UNSIGNED));
    assertThat(after.status()).isEqualTo(EnvironmentStatus.AWAITING_APPROVAL);
    deployment("uat").rejectUpdate(signed(qaLead, "uat", uat.planHash(), "reject", "test over"));
    assertThat(catchThrowableOfType(() -> release.getResult(ReleaseReport.class), WorkflowFailedException.class))
        .isNotNull();
  }

  @Test
  void givenAnUnsignedStart_theReleaseShouldBeRefusedAsAnInvalidRequest() {
    ReleasePipelineWorkflow workflow = newPipeline();
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, "prod", "release-bot", false, false));

    WorkflowFailedException failed = catchThrowableOfType(
        () -> WorkflowStub.fromTyped(workflow).getResult(ReleaseReport.class), WorkflowFailedException.class);

    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("the start request is not signed");
    assertThat(fixture.calls).isEmpty();
  }

  @Test
  void givenAnAutomationsUnsignedStart_theReleaseShouldBeRefusedToo() {
    ReleasePipelineWorkflow workflow = newPipeline();
    WorkflowClient.start(workflow::release, new ReleaseRequest(PROJECT, VERSION, "prod", "ci-bot", true, false));

    WorkflowFailedException failed = catchThrowableOfType(
        () -> WorkflowStub.fromTyped(workflow).getResult(ReleaseReport.class), WorkflowFailedException.class);

    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).contains("the start request is not signed");
  }

  @Test
  void givenAnEnvironmentDeploymentStartedWithoutItsPipeline_itShouldRefuseToRunItsOwnRules() {
    EnvironmentDeploymentWorkflow direct = env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId("prod")).setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(direct::deploy,
        new EnvironmentDeploymentRequest(PROJECT, VERSION, "prod", "mallory", false, fixture.prepared()));

    WorkflowFailedException failed = catchThrowableOfType(
        () -> WorkflowStub.fromTyped(direct).getResult(EnvironmentReport.class), WorkflowFailedException.class);

    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.getOriginalMessage()).contains("was not started by its release pipeline");
    assertThat(fixture.calls).isEmpty();
  }

  private ReleasePipelineWorkflow newPipeline() {
    return env.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION))
            .setTaskQueue(TASK_QUEUE).build());
  }

  private WorkflowStub start(Key requester) {
    ReleasePipelineWorkflow workflow = newPipeline();
    ReleaseRequest request = new ReleaseRequest(PROJECT, VERSION, "prod", requester.principal(), false, false);
    String signedAt = Instant.now().toString();
    String text = DecisionText.start(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), request.signedText(),
        signedAt);
    WorkflowClient.start(workflow::release, request.signed(new StartSignature(signedAt, keys.sign(requester, text))));
    return WorkflowStub.fromTyped(workflow);
  }

  private static String workflowId(String environment) {
    return EnvironmentDeploymentWorkflow.workflowId(ReleasePipelineWorkflow.workflowId(PROJECT, VERSION), environment);
  }

  private Decision signed(Key key, String environment, String planHash, String kind, String comment) {
    String runId = WorkflowStub.fromTyped(deployment(environment)).describe().getExecution().getRunId();
    String question = deployment(environment).progress().question();
    String text = DecisionText.decision(workflowId(environment), runId, planHash, question, kind, comment);
    return new Decision(key.principal(), comment, planHash, keys.sign(key, text));
  }

  private EnvironmentDeploymentWorkflow deployment(String environment) {
    return env.getWorkflowClient().newWorkflowStub(EnvironmentDeploymentWorkflow.class, workflowId(environment));
  }

  private EnvironmentProgress awaitApproval(String environment) {
    return await(environment, p -> p.status() == EnvironmentStatus.AWAITING_APPROVAL);
  }

  private EnvironmentProgress await(String environment, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = deployment(environment).progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException notYetStarted) {
        // The child starts once the previous environment has succeeded.
      }
      env.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(environment + " never reached the expected state; last: " + last);
  }

  private static void assertRefused(Runnable update, String reason) {
    assertThatThrownBy(update::run)
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(reason);
  }
}
