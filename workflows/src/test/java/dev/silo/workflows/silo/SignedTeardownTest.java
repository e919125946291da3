package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.SshKeygenKeys;
import dev.silo.workflows.SshKeygenKeys.Key;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.TestTrust;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teardown decides as a deployment does under a worker with an allowed-signers file (keys made
 * and used by the real {@code ssh-keygen}): the start names the requester, an approval must be
 * signed over this run and this plan, and an unsigned one is refused.
 */
@Timeout(60)
class SignedTeardownTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloTeardownWorkflowImpl.class);

  private static final String WORKFLOW_ID = "silo-destroy-acme-crm";

  @TempDir
  static Path keysDir;

  static SshKeygenKeys keys;
  static Key alice;
  static Key bob;

  private final TeardownWorld world = new TeardownWorld();
  private final TestTrust trust = new TestTrust();
  private TestWorkflowEnvironment env;
  private String taskQueue;

  @BeforeAll
  static void makeKeys() {
    keys = new SshKeygenKeys(keysDir);
    alice = keys.generate("alice@example.com");
    bob = keys.generate("bob@example.com");
  }

  @BeforeEach
  void start(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.taskQueue = worker.getTaskQueue();
    trust.set(keys.allowedSigners(alice, bob));
    env.newWorker(TaskQueues.DOCKER).registerActivitiesImplementations(world.docker);
    worker.registerActivitiesImplementations(world.onSiloQueue());
    worker.registerActivitiesImplementations(trust);
    env.start();
  }

  @Test
  void givenASignedStart_approvalsAreBoundToThePlanAndOnlyASignedOneRemovesTheSilo() {
    SiloTeardownRequest unsigned = new SiloTeardownRequest("acme", "crm", "alice", ApprovalPolicy.defaults(), false);
    String signedAt = Instant.now().toString();
    SiloTeardownRequest request = unsigned.signed(new StartSignature(signedAt,
        keys.sign(alice, DecisionText.start(WORKFLOW_ID, unsigned.signedText(), signedAt))));
    SiloTeardownWorkflow run = env.getWorkflowClient().newWorkflowStub(SiloTeardownWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(taskQueue).build());
    WorkflowClient.start(run::destroy, request);
    SiloProgress waiting = awaitApproval(run);
    String runId = WorkflowStub.fromTyped(run).getExecution().getRunId();

    assertThatThrownBy(() -> run.approveUpdate(new Decision("bob@example.com", "typed only")))
        .isInstanceOf(WorkflowUpdateException.class).hasStackTraceContaining("unsigned decisions are refused");
    assertThatThrownBy(() -> run.approveUpdate(signed(bob, runId, "sha256:" + "0".repeat(64), waiting)))
        .isInstanceOf(WorkflowUpdateException.class).hasStackTraceContaining("the plan now is");
    assertThatThrownBy(() -> run.approveUpdate(signed(alice, runId, waiting.planHash(), waiting)))
        .isInstanceOf(WorkflowUpdateException.class).hasStackTraceContaining("may not approve it");
    assertThat(world.flyApps).hasSize(6);

    DecisionRecord accepted = run.approveUpdate(signed(bob, runId, waiting.planHash(), waiting));
    TeardownReport report = WorkflowStub.fromTyped(run).getResult(TeardownReport.class);

    assertThat(accepted.actor()).isEqualTo("bob@example.com");
    assertThat(accepted.signature()).isEqualTo(DecisionRecord.SIGNED);
    assertThat(accepted.planHash()).isEqualTo(waiting.planHash());
    assertThat(report.status()).isEqualTo(SiloStatus.DESTROYED);
    assertThat(world.flyApps).isEmpty();
  }

  private static Decision signed(Key key, String runId, String planHash, SiloProgress waiting) {
    String text = DecisionText.decision(WORKFLOW_ID, runId, planHash, waiting.pending().id(), "approve", "go");
    return new Decision(key.principal(), "go", planHash, keys.sign(key, text));
  }

  private SiloProgress awaitApproval(SiloTeardownWorkflow run) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        SiloProgress progress = run.progress();
        if (progress.pending() != null) {
          return progress;
        }
      } catch (WorkflowException notReadyYet) {
        // The first workflow task has not run yet.
      }
      env.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the teardown never waited for approval");
  }
}
