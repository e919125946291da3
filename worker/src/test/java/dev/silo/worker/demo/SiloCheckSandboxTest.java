package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.sandbox.Sandbox;
import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.release.WebhookReceiver;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.drift.CheckNames;
import dev.silo.workflows.drift.CheckOutcome;
import dev.silo.workflows.drift.DriftItem;
import dev.silo.workflows.drift.DriftReport;
import dev.silo.workflows.drift.SiloCheckRequest;
import dev.silo.workflows.drift.SiloCheckWorkflow;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift check on the in-memory test server with the worker's real activities: Fly, Netlify and
 * the desk answer from the sandbox, Git from a local bare repository. The example silo is deployed
 * once, then its systems are changed one by one as people would change them by hand, and each check
 * names what drifted.
 */
@Timeout(240)
class SiloCheckSandboxTest {

  private static final SiloNames NAMES = SandboxRuns.NAMES;

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private Sandbox sandbox;
  private WebhookReceiver webhooks;
  private Path remote;
  @TempDir Path work;

  @BeforeEach
  void start() throws Exception {
    Path configRoot = work.resolve("silos");
    SandboxRuns.copyExampleSilo(configRoot);
    sandbox = Sandbox.start(java.time.Duration.ZERO);
    sandbox.desk().application(NAMES.client(), NAMES.app(), "Acme CRM");
    webhooks = WebhookReceiver.start();
    SandboxRuns.registerSearchAttributes(env);
    remote = DemoEnvironment.createRemote(work.resolve("remote.git"));

    Map<String, String> worker = new HashMap<>(sandbox.workerEnvironment());
    worker.put("SILO_CONFIG_ROOT", configRoot.toString());
    worker.put("SILO_GIT_REMOTE", remote.toString());
    worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    worker.put("SILO_STATE_DIR", work.resolve("state").toString());
    worker.put(CheckNames.WEBHOOK_VARIABLE, webhooks.slackUrl());
    SiloWorker.register(env.getWorkerFactory(), SiloWorker.Queues.DEFAULT,
        EnvironmentActivities.build(worker, env.getWorkflowClient(), line -> { }));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    webhooks.close();
    sandbox.close();
  }

  @Test
  void givenASiloNeverDeployed_whenChecked_itShouldSaySoAndTellNobody() {
    DriftReport report = check("never");

    assertThat(report.outcome()).isEqualTo(CheckOutcome.NEVER_DEPLOYED);
    assertThat(report.drift()).isEmpty();
    assertThat(report.deploymentRunId()).isNull();
    assertThat(sandbox.desk().events(NAMES.client(), NAMES.app())).isEmpty();
    assertThat(webhooks.slackMessages()).isEmpty();
  }

  @Test
  void givenADeployedSilo_whenItsSystemsAreChangedOneByOne_eachCheckShouldNameWhatDrifted() throws Exception {
    SiloReport deployed = deploy();

    DriftReport clean = check("clean");
    assertThat(clean.outcome()).as("right after the deployment: %s", clean).isEqualTo(CheckOutcome.IN_SYNC);
    assertThat(clean.unreadable()).isEmpty();
    assertThat(clean.deploymentRunId()).isNotNull();
    assertThat(clean.notCompared()).as("every app's hash compared with its config's")
        .noneMatch(line -> line.startsWith("fly config hash"));

    commit(deployed.branch().commit(), "a developer's work on the silo branch");
    assertThat(check("descendant").outcome()).as("the branch moved forward by a push").isEqualTo(CheckOutcome.IN_SYNC);
    assertThat(sandbox.desk().events(NAMES.client(), NAMES.app())).noneMatch(event -> event.event().equals("drift_detected"));
    assertThat(driftMessages()).as("the deployment's own messages aside").isEmpty();

    sandbox.netlify().defineEnvValue("VITE_API_URL",
        new NetlifySandbox.EnvValue("branch", NAMES.branch(), "https://elsewhere.example"));
    DriftReport netlify = check("netlify");
    assertThat(netlify.outcome()).isEqualTo(CheckOutcome.DRIFTED);
    assertThat(netlify.drift()).containsExactly(new DriftItem("netlify", "VITE_API_URL",
        NAMES.flyUrl("rest"), "https://elsewhere.example"));
    assertThat(netlify.deskEventLogged()).isTrue();
    assertThat(netlify.notified()).isTrue();
    List<DeskSandbox.SiloEvent> drifts = sandbox.desk().events(NAMES.client(), NAMES.app()).stream()
        .filter(event -> event.event().equals("drift_detected")).toList();
    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).idempotencyKey()).isEqualTo(netlify.checkWorkflowId() + ":drift_detected");
    assertThat(drifts.get(0).details().get("items").toString()).contains("VITE_API_URL");
    assertThat(driftMessages()).hasSize(1);
    assertThat(driftMessages().get(0).text()).contains(NAMES.siloId()).contains("1 item");

    sandbox.fly().setStopped(NAMES.flyApp("rest"));
    DriftReport fly = check("fly");
    assertThat(fly.drift()).filteredOn(item -> item.system().equals("fly"))
        .singleElement()
        .satisfies(item -> {
          assertThat(item.subject()).startsWith("machine " + NAMES.flyApp("rest") + "/");
          assertThat(item.expected()).isEqualTo("started");
          assertThat(item.actual()).isEqualTo("stopped");
        });

    String deployedHash = sandbox.fly().app(NAMES.flyApp("auth")).orElseThrow().machines().get(0).metadata()
        .get("silo_config_hash");
    sandbox.fly().changeMachineConfig(NAMES.flyApp("auth"), config -> {
      config.with("env").put("GOTRUE_DISABLE_SIGNUP", "false");
      config.with("metadata").put("silo_config_hash", "feedface0000" + deployedHash.substring(12));
    });
    DriftReport hash = check("hash");
    assertThat(hash.drift()).filteredOn(item -> item.subject().endsWith("config hash"))
        .singleElement()
        .satisfies(item -> {
          assertThat(item.line()).matches("fly machine " + NAMES.flyApp("auth") + "/\\S+ config hash: expected "
              + deployedHash.substring(0, 12) + ", found feedface0000");
        });

    Files.delete(work.resolve("silos").resolve(NAMES.configDirectory()).resolve("fly/kong.toml"));
    DriftReport unreadableConfig = check("config-gone");
    assertThat(unreadableConfig.outcome()).isEqualTo(CheckOutcome.DRIFTED);
    assertThat(unreadableConfig.notCompared()).filteredOn(line -> line.startsWith("fly config hash of "))
        .hasSize(SiloNames.FLY_SERVICES.size())
        .allMatch(line -> line.contains("the silo's config cannot be read"));

    String unrelated = commit(null, "an unrelated history");
    DriftReport git = check("git");
    assertThat(git.drift()).filteredOn(item -> item.system().equals("git"))
        .containsExactly(new DriftItem("git", "branch " + NAMES.branch(),
            "at " + deployed.branch().commit() + " or a descendant", "at " + unrelated + ", which does not contain it"));
    assertThat(git.drift()).extracting(DriftItem::system).containsExactly("netlify", "fly", "git");
    assertThat(driftMessages()).hasSize(5);
  }

  private SiloReport deploy() {
    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), TaskQueues.SILO);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));
    SiloReport report = WorkflowStub.fromTyped(run).getResult(SiloReport.class);
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    return report;
  }

  /** The check's messages; the deployment sends its own through the same webhook while it waits for approval. */
  private List<WebhookReceiver.SlackMessage> driftMessages() {
    return webhooks.slackMessages().stream().filter(message -> message.text().contains("drifted")).toList();
  }

  private DriftReport check(String suffix) {
    SiloCheckWorkflow check = env.getWorkflowClient().newWorkflowStub(SiloCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(CheckNames.manualWorkflowId(NAMES, suffix))
            .setTaskQueue(TaskQueues.SILO).build());
    return check.check(new SiloCheckRequest(NAMES.client(), NAMES.app()));
  }

  /**
   * Points the silo branch of the remote at a new commit: a child of {@code parent}, as a push on
   * top of it makes, or, with a null parent, a root commit of an unrelated history, as a force-push
   * of another branch makes. Returns the commit.
   */
  private String commit(String parent, String message) throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(remote.toFile()).build();
        ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId tree = inserter.insert(new TreeFormatter());
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      if (parent != null) {
        commit.setParentId(ObjectId.fromString(parent));
      }
      PersonIdent someone = new PersonIdent("Someone", "someone@acme.example");
      commit.setAuthor(someone);
      commit.setCommitter(someone);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repository.updateRef(Constants.R_HEADS + NAMES.branch());
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      assertThat(update.update()).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NEW);
      return id.name();
    }
  }
}
