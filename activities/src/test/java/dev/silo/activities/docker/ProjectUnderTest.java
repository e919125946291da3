package dev.silo.activities.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.silo.workflows.docker.DescribeProjectRequest;
import dev.silo.workflows.docker.ProjectResources;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import dev.silo.workflows.docker.StartContainerRequest;
import dev.silo.workflows.docker.TeardownRequest;
import dev.silo.workflows.docker.TeardownResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Compose project of a test's own, driven through {@link DockerActivities} running as activities
 * in Temporal's activity test environment (so heartbeats and timeouts apply), on the real engine.
 */
final class ProjectUnderTest implements AutoCloseable {

  /** One attempt, so a failure shows at once; timeouts like the workflow's, but shorter. */
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  /** Test containers ignore SIGTERM (busybox as PID 1), so they are given 1 s, not 5. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

  final DockerEngine engine;
  final String name;
  final TestActivityEnvironment environment;
  final DockerActivities docker;
  final List<String> heartbeats = Collections.synchronizedList(new ArrayList<>());
  final ComposeNetwork network;

  /** Creates a project with a new name and ensures its network. */
  ProjectUnderTest(DockerEngine engine) {
    this.engine = engine;
    this.name = ContainerEngineTestSupport.newProjectName();
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(new DockerActivitiesImpl(engine, STOP_TIMEOUT));
    environment.setActivityHeartbeatListener(String.class, heartbeats::add);
    docker = environment.newActivityStub(DockerActivities.class, OPTIONS);
    network = docker.ensureNetwork(new EnsureNetworkRequest(name));
  }

  ContainerResult start(ComposeService service) {
    return start(docker, service);
  }

  ContainerResult start(DockerActivities activities, ComposeService service) {
    return activities.startContainer(new StartContainerRequest(name, network.name(), service));
  }

  ProjectResources describe() {
    return docker.describeProject(new DescribeProjectRequest(name));
  }

  TeardownResult teardown(boolean removeVolumes) {
    return docker.teardown(new TeardownRequest(name, removeVolumes));
  }

  String containerName(String service) {
    return name + "-" + service + "-1";
  }

  InspectContainerResponse inspect(String service) {
    String container = containerName(service);
    return engine
        .container(container)
        .orElseThrow(() -> new AssertionError(container + " does not exist"));
  }

  /**
   * Removes a service's container that its restart policy keeps restarting. A forced remove can
   * meet it between two restarts, which Podman refuses ("container state improper"), so the remove
   * is tried again until the container is gone, a bounded number of times.
   */
  void removeRestarting(String service) {
    String id = inspect(service).getId();
    for (int attempt = 1; engine.container(id).isPresent(); attempt++) {
      try {
        engine.removeContainer(id, true);
      } catch (ApplicationFailure refused) {
        if (attempt >= 20) {
          throw refused;
        }
      }
    }
  }

  /** Fetches a URL from inside a container with busybox wget. */
  ExecResult fetch(String fromService, String url) {
    return engine.exec(
        inspect(fromService).getId(),
        List.of("/bin/wget", "-q", "-O", "-", url),
        Duration.ofSeconds(10),
        () -> {});
  }

  /** The label filter that selects this project. */
  String label() {
    return ComposeProject.PROJECT_LABEL + "=" + name;
  }

  /** Removes everything of the project, volumes included. */
  @Override
  public void close() {
    try {
      teardown(true);
    } finally {
      environment.close();
    }
  }
}
