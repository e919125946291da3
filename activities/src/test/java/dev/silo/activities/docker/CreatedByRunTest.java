package dev.silo.activities.docker;

import dev.silo.workflows.docker.ProjectContainers;
import dev.silo.workflows.docker.InspectProjectRequest;
import static org.assertj.core.api.Assertions.assertThat;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.ProjectResources;
import static org.assertj.core.api.Assertions.tuple;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.PowerContainersRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whether the workflow run that starts a service created its container, as the report's ledger
 * says it: created when this run made it (also when a retry finds what the run's lost attempt
 * made), found when another run or no run did. The runs are real workflow runs on Temporal's
 * in-memory server, so the activity sees the workflow and run IDs and the attempts Temporal gives
 * it; the containers are real, on the engine.
 */
@ExtendWith(ContainerEngineTestSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreatedByRunTest {

  private static final String TASK_QUEUE = "silo-docker-created-by-run";

  /** The label an operator sees on {@code docker inspect}: {@code {workflowId}/{runId}}. */
  private static final String RUN_LABEL = "dev.silo.created-by-run";

  private ProjectUnderTest project;
  private TestWorkflowEnvironment temporal;
  private LosingFirstReplies docker;

  @BeforeAll
  void startTemporalAndTheProject(DockerEngine engine) {
    project = new ProjectUnderTest(engine);
    // Real time: the activities run on the engine, and the only wait is the retry's short backoff.
    temporal =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = temporal.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(StartServiceImpl.class);
    docker =
        new LosingFirstReplies(engine, new DockerActivitiesImpl(engine, Duration.ofSeconds(1)));
    worker.registerActivitiesImplementations(docker);
    temporal.start();
  }

  @AfterAll
  void removeTheProjectAndStopTemporal() {
    try {
      if (project != null) {
        project.close();
      }
    } finally {
      if (temporal != null) {
        temporal.close();
      }
    }
  }

  @Test
  void givenNoContainer_whenARunStartsTheService_itShouldSayThisRunCreatedItAndLabelItWithTheRun() {
    ComposeService service = httpd("fresh", "1");

    Run run = run("silo-fresh", service);

    assertThat(run.result())
        .isEqualTo(
            new ContainerResult(
                "fresh", project.containerName("fresh"), ContainerHealth.HEALTHY, null, true));
    String imageId = project.engine.imageId(AgentImage.NAME).orElseThrow();
    // Compose's labels, the config hash among them, are exactly those of a container without ours.
    assertThat(project.inspect("fresh").getConfig().getLabels())
        .containsAllEntriesOf(
            new ComposeProject(project.name)
                .containerLabels(service, ConfigHash.of(service), imageId))
        .containsEntry(RUN_LABEL, "silo-fresh/" + run.runId());
  }

  @Test
  void givenContainerAnEarlierRunCreated_whenANewRunStartsTheService_itShouldSayFoundAndKeepIt() {
    ComposeService service = httpd("kept", "1");
    Run first = run("silo-kept", service);
    String containerId = project.inspect("kept").getId();

    Run second = run("silo-kept", service);

    assertThat(second.runId()).isNotEqualTo(first.runId());
    assertThat(first.result().createdByThisRun()).isTrue();
    assertThat(second.result())
        .isEqualTo(
            new ContainerResult(
                "kept", project.containerName("kept"), ContainerHealth.HEALTHY, null, false));
    assertThat(project.inspect("kept").getId()).isEqualTo(containerId);
    assertThat(project.inspect("kept").getConfig().getLabels())
        .containsEntry(RUN_LABEL, "silo-kept/" + first.runId());
  }

  @Test
  void givenFirstAttemptCreatedTheContainerAndLostItsReply_whenTheRunRetries_itShouldSayCreated() {
    docker.loseFirstReplyOf("silo-retried");

    Run run = run("silo-retried", httpd("retried", "1"));

    assertThat(docker.attemptsOf("silo-retried/" + run.runId()))
        .extracting(Attempt::attempt, Attempt::containerId)
        .containsExactly(
            tuple(1, project.inspect("retried").getId()),
            tuple(2, project.inspect("retried").getId()));
    assertThat(run.result())
        .isEqualTo(
            new ContainerResult(
                "retried", project.containerName("retried"), ContainerHealth.HEALTHY, null, true));
  }

  @Test
  void givenChangedService_whenANewRunStartsIt_itShouldSayThisRunCreatedTheReplacement() {
    run("silo-changed", httpd("changed", "1"));
    String outdated = project.inspect("changed").getId();

    Run second = run("silo-changed", httpd("changed", "2"));

    InspectContainerResponse replacement = project.inspect("changed");
    assertThat(replacement.getId()).isNotEqualTo(outdated);
    assertThat(second.result().createdByThisRun()).isTrue();
    assertThat(replacement.getConfig().getLabels())
        .containsEntry(RUN_LABEL, "silo-changed/" + second.runId());
  }

  @Test
  void givenContainerStartedOutsideAnyRun_whenARunStartsTheService_itShouldSayFound() {
    ComposeService service = httpd("by-hand", "1");
    ContainerResult direct =
        new DockerActivitiesImpl(project.engine, Duration.ofSeconds(1))
            .startContainer(
                new StartContainerRequest(project.name, project.network.name(), service));

    Run run = run("silo-by-hand", service);

    assertThat(direct.createdByThisRun()).as("the direct call created it").isTrue();
    assertThat(project.inspect("by-hand").getConfig().getLabels())
        .doesNotContainKey(RUN_LABEL);
    assertThat(run.result().createdByThisRun()).isFalse();
  }

  private ComposeService httpd(String name, String version) {
    return ServiceDraft.named(name)
        .command(ExampleProject.HTTPD)
        .environment("VERSION", version)
        .healthcheck(ExampleProject.httpCheck())
        .build();
  }

  /** Runs the workflow to its end under this ID and returns its run ID and result. */
  private Run run(String workflowId, ComposeService service) {
    WorkflowClient client = temporal.getWorkflowClient();
    StartService workflow =
        client.newWorkflowStub(
            StartService.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowRunTimeout(Duration.ofMinutes(3))
                .build());
    WorkflowExecution execution =
        WorkflowClient.start(
            workflow::start,
            new StartContainerRequest(project.name, project.network.name(), service));
    ContainerResult result =
        client
            .newUntypedWorkflowStub(execution, Optional.empty())
            .getResult(ContainerResult.class);
    return new Run(execution.getRunId(), result);
  }

  private record Run(String runId, ContainerResult result) {}

  /** One attempt of startContainer: which, and the container the engine held right after it. */
  record Attempt(String run, int attempt, String containerId) {}

  @WorkflowInterface
  public interface StartService {
    @WorkflowMethod
    ContainerResult start(StartContainerRequest request);
  }

  /** Starts one service as the deployment's Docker step does, with one retry after 100 ms. */
  public static class StartServiceImpl implements StartService {

    private final DockerActivities docker =
        Workflow.newActivityStub(
            DockerActivities.class,
            ActivityOptions.newBuilder(ProjectUnderTest.OPTIONS)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(100))
                        .setMaximumAttempts(2)
                        .build())
                .build());

    @Override
    public ContainerResult start(StartContainerRequest request) {
      return docker.startContainer(request);
    }
  }

  /**
   * The real activities, except that the first attempt of the workflows it is told about does its
   * work and then fails as if its reply had been lost, so that Temporal retries it in the same run.
   */
  static final class LosingFirstReplies implements DockerActivities {

    private final DockerEngine engine;
    private final DockerActivities delegate;
    private final Set<String> losing = ConcurrentHashMap.newKeySet();
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

    LosingFirstReplies(DockerEngine engine, DockerActivities delegate) {
      this.engine = engine;
      this.delegate = delegate;
    }

    void loseFirstReplyOf(String workflowId) {
      losing.add(workflowId);
    }

    List<Attempt> attemptsOf(String run) {
      synchronized (attempts) {
        return attempts.stream().filter(attempt -> attempt.run().equals(run)).toList();
      }
    }

    @Override
    public ComposeNetwork ensureNetwork(EnsureNetworkRequest request) {
      return delegate.ensureNetwork(request);
    }

    @Override
    public ContainerResult startContainer(StartContainerRequest request) {
      ContainerResult result = delegate.startContainer(request);
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      String container = request.project() + "-" + request.service().name() + "-1";
      attempts.add(
          new Attempt(
              info.getWorkflowId() + "/" + info.getRunId(),
              info.getAttempt(),
              engine.container(container).map(InspectContainerResponse::getId).orElse(null)));
      if (info.getAttempt() == 1 && losing.contains(info.getWorkflowId())) {
        throw ApplicationFailure.newFailure("the reply to attempt 1 was lost", "LOST_REPLY");
      }
      return result;
    }

    @Override
    public TeardownResult teardown(TeardownRequest request) {
      return delegate.teardown(request);
    }

    @Override
    public ContainersPowered stopContainers(PowerContainersRequest request) {
      return delegate.stopContainers(request);
    }

    @Override
    public ContainersPowered startContainers(PowerContainersRequest request) {
      return delegate.startContainers(request);
    }

    @Override
    public ProjectResources describeProject(DescribeProjectRequest request) {
      return delegate.describeProject(request);
    }

    @Override
    public ProjectContainers inspectProject(InspectProjectRequest request) {
      return delegate.inspectProject(request);
    }
  }
}
