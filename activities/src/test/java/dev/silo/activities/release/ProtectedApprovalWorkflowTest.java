package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.activities.lock.LockActivitiesImpl;
import dev.silo.activities.signing.TrustActivitiesImpl;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.command.CommandResult;
import dev.silo.workflows.command.RunCommandRequest;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.lock.EnvironmentLockWorkflowImpl;
import dev.silo.workflows.release.ApprovalVerdict;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflowImpl;
import dev.silo.workflows.release.EnvironmentProgress;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleasePipelineWorkflowImpl;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.DecisionText;
import dev.silo.workflows.signing.StartSignature;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version whose prod file turns approval off, prepared by the real activities from a local bare
 * repository and deployed to prod on Temporal's test server: the deployment still waits for the two
 * approvals the default branch asks for.
 */
@Timeout(60)
class ProtectedApprovalWorkflowTest {

  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String PROD = """
      environment: prod
      require_approval: true
      approvers:
        - "@devops-lead"
        - "@engineering-manager"
        - "@finance-owner"
      min_approvals: 2
      """;

  @TempDir Path directory;

  private TestWorkflowEnvironment environment;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private static final String PROD_WORKFLOW_ID = "release-shop-v2.0.0-no-approval-prod";

  private ReleaseActivitiesImpl activities;
  private String main;

  @BeforeEach
  void start() throws Exception {
    main = createTheRepository();
    activities = new ReleaseActivitiesImpl(directory + "/{project}.git", directory.resolve("workspaces"),
        directory.resolve("state"), Clock.systemUTC(), Map.of());
    environment = TestWorkflowEnvironment.newInstance();
    for (SearchAttributeKey<String> key : SiloSearchAttributes.ALL) {
      environment.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker = environment.newWorker(TaskQueues.SILO);
    worker.registerWorkflowImplementationTypes(ReleasePipelineWorkflowImpl.class,
        EnvironmentDeploymentWorkflowImpl.class, EnvironmentLockWorkflowImpl.class);
    String allowed = "release-bot namespaces=\"silo-deployer\" " + publicKey("release-bot") + "\n"
        + "devops-lead namespaces=\"silo-deployer\" " + publicKey("devops-lead") + "\n"
        + "engineering-manager namespaces=\"silo-deployer\" " + publicKey("engineering-manager") + "\n";
    worker.registerActivitiesImplementations(activities, new LockActivitiesImpl(environment.getWorkflowClient()),
        new RecordedCommands(), new TrustActivitiesImpl(AllowedSigners.parse(allowed, "allowed_signers")));
    environment.start();
  }

  @AfterEach
  void stop() {
    environment.close();
  }

  @Test
  void givenAVersionThatRemovesProdApproval_whenDeployedToProd_itShouldStillWaitForTwoSignedApprovals() {
    WorkflowStub pipeline = startThePipeline();
    EnvironmentDeploymentWorkflow prod = environment.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, PROD_WORKFLOW_ID);

    EnvironmentProgress gate = await(prod, progress -> progress.status() == EnvironmentStatus.AWAITING_APPROVAL);
    assertThat(gate.approval().required()).isEqualTo(2);
    assertThat(gate.approvalRules())
        .isEqualTo("approval rules from default branch main at " + main.substring(0, 7) + ", the version's own ignored");

    prod.approveUpdate(signed("devops-lead", gate.planHash()));
    EnvironmentProgress halfway = await(prod, progress -> progress.decisions().size() == 1);

    assertThat(halfway.status()).isEqualTo(EnvironmentStatus.AWAITING_APPROVAL);
    assertThat(halfway.approval().approvedBy()).containsExactly("devops-lead");
    // dev, staging and uat deployed; prod has changed nothing yet.
    assertThat(commands).containsExactly("./deploy.sh", "./deploy.sh", "./deploy.sh");

    prod.approveUpdate(signed("engineering-manager", gate.planHash()));
    EnvironmentReport report = WorkflowStub.fromTyped(prod).getResult(EnvironmentReport.class);

    assertThat(report.status()).isEqualTo(EnvironmentStatus.SUCCEEDED);
    assertThat(report.approval().outcome()).isEqualTo(ApprovalVerdict.APPROVED);
    assertThat(report.approval().approvedBy()).containsExactly("devops-lead", "engineering-manager");
    assertThat(report.decisions()).extracting(DecisionRecord::signature).containsOnly(DecisionRecord.SIGNED);
    assertThat(commands).hasSize(4);
    assertThat(report.approvalRules()).endsWith(", the version's own ignored");
    assertThat(pipeline.getResult(ReleaseReport.class).requester()).isEqualTo("release-bot");
  }

  /** Starts the release of the version to prod, signed by the release bot's key as the CLI would. */
  private WorkflowStub startThePipeline() {
    String pipelineId = ReleasePipelineWorkflow.workflowId("shop", "v2.0.0-no-approval");
    ReleasePipelineWorkflow pipeline = environment.getWorkflowClient().newWorkflowStub(ReleasePipelineWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(pipelineId).setTaskQueue(TaskQueues.SILO).build());
    ReleaseRequest request = new ReleaseRequest("shop", "v2.0.0-no-approval", "prod", "release-bot", false, false);
    String signedAt = Instant.now().toString();
    String signature = sign("release-bot", DecisionText.start(pipelineId, request.signedText(), signedAt));
    WorkflowClient.start(pipeline::release, request.signed(new StartSignature(signedAt, signature)));
    return WorkflowStub.fromTyped(pipeline);
  }

  /** A new Ed25519 key made by {@code ssh-keygen} for the principal; its public key line. */
  private String publicKey(String principal) throws Exception {
    Path key = directory.resolve("key-" + principal);
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", key.toString());
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** An approval of the prod deployment signed by the principal's key with {@code ssh-keygen -Y sign}. */
  private Decision signed(String principal, String planHash) {
    String runId = WorkflowStub.fromTyped(environment.getWorkflowClient().newWorkflowStub(
        EnvironmentDeploymentWorkflow.class, PROD_WORKFLOW_ID)).describe().getExecution().getRunId();
    return new Decision(principal, "go", planHash,
        sign(principal, DecisionText.decision(PROD_WORKFLOW_ID, runId, planHash, "gate", "approve", "go")));
  }

  /** What {@code ssh-keygen -Y sign -n silo-deployer} writes for the text with the principal's key. */
  private String sign(String principal, String text) {
    try {
      Path message = Files.createTempFile(directory, "message-", ".txt");
      Files.writeString(message, text);
      run("ssh-keygen", "-q", "-Y", "sign", "-n", DecisionText.NAMESPACE, "-f",
          directory.resolve("key-" + principal).toString(), message.toString());
      return Files.readString(Path.of(message + ".sig"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
  }

  /** Asks the deployment's progress until it meets the condition, at most {@link #PATIENCE}. */
  private EnvironmentProgress await(EnvironmentDeploymentWorkflow prod, Predicate<EnvironmentProgress> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    EnvironmentProgress last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = prod.progress();
        if (condition.test(last)) {
          return last;
        }
      } catch (WorkflowNotFoundException notYetStarted) {
        // The pipeline starts prod once uat has succeeded.
      }
      environment.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("prod never reached the expected state; last: " + last);
  }

  /** The worker's commands, recorded without the variables exported before each, and all succeeding. */
  private final class RecordedCommands implements CommandActivities {
    @Override
    public CommandResult runCommand(RunCommandRequest request) {
      commands.add(request.command().substring(request.command().indexOf('\n') + 1));
      return new CommandResult(0, 5, "deployed", false);
    }
  }

  /**
   * A project whose only step runs after the approval gate: {@code main} requires two prod
   * approvals, and the tag {@code v2.0.0-no-approval} of a branch turns them off.
   */
  private String createTheRepository() throws Exception {
    Path work = directory.resolve("shop-work");
    Files.createDirectories(work.resolve("environments"));
    Files.writeString(work.resolve("pipeline.yml"), """
        schema_deploy:
          - name: Deploy the shop
            command: ./deploy.sh
        """);
    for (String name : List.of("dev", "staging", "uat")) {
      Files.writeString(work.resolve("environments/" + name + ".yml"), "environment: " + name + "\n");
    }
    Files.writeString(work.resolve("environments/prod.yml"), PROD);
    Path bare = directory.resolve("shop.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      RevCommit main = commit(git, "The shop");
      git.checkout().setCreateBranch(true).setName("no-approval").call();
      Files.writeString(work.resolve("environments/prod.yml"),
          PROD.replace("require_approval: true", "require_approval: false"));
      RevCommit version = commit(git, "Deploy without asking");
      git.tag().setName("v2.0.0-no-approval").setObjectId(version).setAnnotated(false).call();
      git.push().setRemote(bare.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"),
          new RefSpec("refs/heads/no-approval:refs/heads/no-approval"), new RefSpec("refs/tags/*:refs/tags/*")).call();
      return main.name();
    }
  }

  private static RevCommit commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
  }
}
