package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.sandbox.Sandbox;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.worker.EnvironmentActivities;
import dev.silo.worker.SandboxRuns;
import dev.silo.worker.SiloWorker;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.silo.SiloDeploymentWorkflow;
import dev.silo.workflows.silo.SiloNames;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 5 when a configuration write is applied by Netlify but its reply never comes back, as when
 * the worker that sent it is killed: the real workflow on the in-memory test server, with the
 * worker's real activities (config, Git, Fly, database, Netlify, desk) against the sandbox. The
 * retried configuration then finds the branch configured; the silo must still be built before the
 * desk calls it active.
 */
@Timeout(120)
class NetlifyLostReplySandboxTest {

  private static final SiloNames NAMES = SandboxRuns.NAMES;

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private Sandbox sandbox;
  @TempDir Path work;

  @BeforeEach
  void start() throws Exception {
    Path configRoot = work.resolve("silos");
    SandboxRuns.copyExampleSilo(configRoot);
    sandbox = Sandbox.start(Duration.ZERO);
    sandbox.desk().application(NAMES.client(), NAMES.app(), "Acme CRM");
    SandboxRuns.registerSearchAttributes(env);

    Map<String, String> worker = new HashMap<>(sandbox.workerEnvironment());
    worker.put("SILO_CONFIG_ROOT", configRoot.toString());
    worker.put("SILO_GIT_REMOTE", DemoEnvironment.createRemote(work.resolve("remote.git")).toString());
    worker.put("SILO_GIT_CACHE", work.resolve("git-cache").toString());
    worker.put("SILO_STATE_DIR", work.resolve("state").toString());
    SiloWorker.register(env.getWorkerFactory(), SiloWorker.Queues.DEFAULT,
        EnvironmentActivities.build(worker, env.getWorkflowClient(), line -> { }));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    sandbox.close();
  }

  @Test
  void givenTheLastConfigurationWriteAppliedButItsReplyLost_whenTheConfigurationIsRetried_itShouldStillBuildOnceAndBeActive() {
    NetlifySandbox netlify = sandbox.netlify();
    // The variables are written last: with that write applied and its reply lost, the activity
    // fails, and its retry finds the branch allowed and every variable set, as a worker restarted
    // after being killed at that moment would.
    netlify.faults().dropReply(NetlifySandbox.CREATE_ENV_VARS, 1);

    SiloDeploymentWorkflow run = SandboxRuns.startRun(env.getWorkflowClient(), TaskQueues.SILO);
    SandboxRuns.awaitApprovalQuestion(env, run);
    run.approve(new Decision("bob", "plan reviewed"));
    SiloReport report = WorkflowStub.fromTyped(run).getResult(SiloReport.class);

    // The one creation sent is the one whose reply was lost: the run got past it only by a retry.
    assertThat(netlify.faults().calls(NetlifySandbox.CREATE_ENV_VARS)).as("variable creations sent").isEqualTo(1);
    assertThat(report.status()).isEqualTo(SiloStatus.DEPLOYED);
    assertThat(netlify.sitePatches()).as("site updates applied").isEqualTo(1);
    assertThat(netlify.envWrites()).as("variable writes applied").isEqualTo(1);
    assertThat(netlify.configurationWrites()).isEqualTo(2);
    assertThat(netlify.builds()).as("builds").hasSize(1);
    assertThat(netlify.deploys()).extracting(NetlifySandbox.Deploy::state).containsExactly("ready");
    assertThat(netlify.deploys().get(0).branch()).isEqualTo(NAMES.branch());
    assertThat(report.netlify().deployId()).isEqualTo(netlify.deploys().get(0).id());
    assertThat(netlify.violations()).isEmpty();
    assertThat(sandbox.desk().status(NAMES.client(), NAMES.app()).orElseThrow().status()).isEqualTo("active");
  }
}
