package dev.silo.workflows.silo;

import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.docker.InspectProjectRequest;
import static dev.silo.workflows.silo.SiloFixture.APPROVER;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.ProjectResources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.decision.Decision;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.docker.PowerContainersRequest;
import dev.silo.workflows.docker.ContainersPowered;
import io.temporal.activity.Activity;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two container engine hosts, each with a worker polling its own Docker task queue: the silo's
 * containers start on the host its config names, unless the request names another.
 */
@Timeout(30)
class EngineHostQueuesTest {

  private static final String ENGINE_A = "engine-a";
  private static final String ENGINE_B = "engine-b";

  @RegisterExtension
  static final TestWorkflowExtension temporal = SiloFixture.testEnvironment(SiloDeploymentWorkflowImpl.class);

  private final SiloFixture silo = new SiloFixture();
  private final EngineHost engineA = new EngineHost();
  private final EngineHost engineB = new EngineHost();
  private final EngineHost defaultEngine = new EngineHost();

  @BeforeEach
  void startWorkers(TestWorkflowEnvironment env, Worker worker) {
    silo.start(env, worker, Map.of(ENGINE_A, engineA, ENGINE_B, engineB, TaskQueues.DOCKER, defaultEngine));
  }

  @Test
  void givenAConfigNamingEngineB_whenDeployed_itShouldStartEveryContainerOnEngineBOnly() {
    silo.configNamesDockerTaskQueue(ENGINE_B);

    SiloRun run = silo.startRun(SiloFixture.request());
    SiloPlan plan = run.awaitDecision(SiloDeploymentWorkflow.APPROVE).plan();
    run.workflow.approve(new Decision(APPROVER, "engine B hosts acme"));
    SiloReport report = run.deployed();

    assertThat(plan.dockerTaskQueue()).isEqualTo(ENGINE_B);
    assertThat(report.dockerTaskQueue()).isEqualTo(ENGINE_B);
    assertThat(report.containers()).extracting(ContainerResult::health).doesNotContain(ContainerHealth.FAILED,
        ContainerHealth.SKIPPED);
    assertThat(engineB.served()).containsExactlyInAnyOrder(
        "network silo-acme-crm on engine-b", "db on engine-b", "auth on engine-b", "rest on engine-b",
        "kong on engine-b");
    assertThat(engineA.served()).isEmpty();
    assertThat(defaultEngine.served()).isEmpty();
  }

  @Test
  void givenARequestNamingEngineA_whenTheConfigNamesEngineB_itShouldStartTheContainersOnEngineA() {
    silo.configNamesDockerTaskQueue(ENGINE_B);

    SiloRun run = silo.startRun(SiloFixture.request(ENGINE_A));
    SiloPlan plan = run.awaitDecision(SiloDeploymentWorkflow.APPROVE).plan();
    run.workflow.approve(new Decision(APPROVER, "engine B is down for maintenance"));
    SiloReport report = run.deployed();

    assertThat(plan.dockerTaskQueue()).isEqualTo(ENGINE_A);
    assertThat(report.dockerTaskQueue()).isEqualTo(ENGINE_A);
    assertThat(engineA.served()).hasSize(5).allSatisfy(served -> assertThat(served).endsWith(" on engine-a"));
    assertThat(engineB.served()).isEmpty();
    assertThat(defaultEngine.served()).isEmpty();
  }

  @Test
  void givenNeitherRequestNorConfigNamingAQueue_whenDeployed_itShouldUseTheDefaultDockerQueue() {
    SiloRun run = silo.startRun(SiloFixture.request());
    SiloPlan plan = run.awaitDecision(SiloDeploymentWorkflow.APPROVE).plan();
    run.workflow.approve(new Decision(APPROVER, "default engine"));
    SiloReport report = run.deployed();

    assertThat(plan.dockerTaskQueue()).isEqualTo(TaskQueues.DOCKER);
    assertThat(report.dockerTaskQueue()).isEqualTo(TaskQueues.DOCKER);
    assertThat(defaultEngine.served()).hasSize(5);
    assertThat(engineA.served()).isEmpty();
    assertThat(engineB.served()).isEmpty();
  }

  /**
   * A container engine host as its worker serves it: containers start healthy, and each activity
   * notes what it did and the task queue that delivered it.
   */
  private static final class EngineHost implements DockerActivities {

    private final List<String> served = new CopyOnWriteArrayList<>();

    List<String> served() {
      return List.copyOf(served);
    }

    @Override
    public ComposeNetwork ensureNetwork(EnsureNetworkRequest request) {
      served.add("network " + request.project() + " on " + queue());
      return new ComposeNetwork(request.project() + "_default", "net-" + queue(), true);
    }

    @Override
    public ContainerResult startContainer(StartContainerRequest request) {
      served.add(request.service().name() + " on " + queue());
      return SiloFixture.startedContainer(request);
    }

    @Override
    public TeardownResult teardown(TeardownRequest request) {
      throw new UnsupportedOperationException("a silo deployment never tears down");
    }

    @Override
    public ContainersPowered stopContainers(PowerContainersRequest request) {
      throw new UnsupportedOperationException("a silo deployment never stops containers");
    }

    @Override
    public ContainersPowered startContainers(PowerContainersRequest request) {
      throw new UnsupportedOperationException("a silo deployment starts containers one by one");
    }

    @Override
    public ProjectResources describeProject(DescribeProjectRequest request) {
      throw new UnsupportedOperationException("a silo deployment never describes a project");
    }

    @Override
    public ProjectContainers inspectProject(InspectProjectRequest request) {
      throw new UnsupportedOperationException("a silo deployment never inspects a project");
    }

    private static String queue() {
      return Activity.getExecutionContext().getInfo().getActivityTaskQueue();
    }
  }
}
