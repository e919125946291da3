package dev.silo.activities.docker;

import static dev.silo.activities.docker.ContainerEngineTestSupport.dockerCli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.docker.ComposeNetwork;
import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.docker.EnsureNetworkRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example silo's seven services brought up once, as the workflow brings them up (each service
 * after what it depends on), and looked at through the API and the docker CLI.
 */
@ExtendWith(ContainerEngineTestSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerActivitiesImplTest {

  private static final String KONG_PAGE = "kong says hello\n";

  @TempDir static Path temp;

  private ProjectUnderTest project;
  private List<ComposeService> services;
  private int kongPort;
  private final Map<String, ContainerResult> firstRun = new LinkedHashMap<>();

  @BeforeAll
  void bringUpTheExampleProject(DockerEngine engine) throws Exception {
    project = new ProjectUnderTest(engine);
    Path site =
        ContainerEngineTestSupport.writeReadable(temp.resolve("kong/index.html"), KONG_PAGE)
            .getParent();
    try (ServerSocket socket = new ServerSocket(0)) {
      kongPort = socket.getLocalPort();
    }
    services = ExampleProject.services(site.toString(), kongPort);
    for (ComposeService service : services) {
      firstRun.put(service.name(), project.start(service));
    }
  }

  @AfterAll
  void removeTheProject() {
    if (project != null) {
      project.close();
    }
  }

  @Test
  void
      givenExampleProject_whenStarted_itShouldReportHealthcheckedServicesHealthyAndOthersRunning() {
    Map<String, ContainerResult> expected = new LinkedHashMap<>();
    for (ComposeService service : services) {
      ContainerHealth health =
          ExampleProject.WITH_HEALTHCHECK.contains(service.name())
              ? ContainerHealth.HEALTHY
              : ContainerHealth.RUNNING;
      expected.put(
          service.name(),
          new ContainerResult(
              service.name(), project.containerName(service.name()), health, null, true));
    }

    assertThat(firstRun).isEqualTo(expected);
  }

  @Test
  void givenExampleProject_whenStarted_itShouldNameAndLabelContainersExactlyAsCompose() {
    String imageId = project.engine.imageId(AgentImage.NAME).orElseThrow();
    for (ComposeService service : services) {
      InspectContainerResponse container = project.inspect(service.name());
      Map<String, String> labels = container.getConfig().getLabels();

      assertThat(container.getName()).isEqualTo("/" + project.name + "-" + service.name() + "-1");
      assertThat(composeLabels(labels))
          .containsOnly(
              entry("com.docker.compose.project", project.name),
              entry("com.docker.compose.service", service.name()),
              entry("com.docker.compose.container-number", "1"),
              entry("com.docker.compose.oneoff", "False"),
              entry("com.docker.compose.config-hash", ConfigHash.of(service)),
              entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION),
              entry("com.docker.compose.depends_on", dependsOnLabel(service)),
              entry("com.docker.compose.image", imageId));
      assertThat(labels).containsAllEntriesOf(service.labels());
      // Each call in the activity test environment is a run of workflow test-workflow-id.
      assertThat(labels.get("dev.silo.created-by-run")).matches("test-workflow-id/[0-9a-f-]{36}");
    }
    assertThat(label("storage", "com.docker.compose.depends_on"))
        .isEqualTo("postgres:service_healthy:false,rest-api:service_started:false");
    assertThat(label("postgres", "com.docker.compose.depends_on")).isEmpty();
    assertThat(project.inspect("worker-queue").getConfig().getLabels())
        .contains(entry("dev.silo.client", "acme"), entry("dev.silo.app", "crm"));
    assertThat(label("postgres", "com.docker.compose.config-hash")).matches("[0-9a-f]{64}");
  }

  @Test
  void givenExampleProject_whenStarted_itShouldBeSeenAsAComposeProjectByTheDockerCli() {
    String filter = "label=" + project.label();

    String containers =
        dockerCli(
            project.engine,
            "ps",
            "--filter",
            filter,
            "--filter",
            "label=com.docker.compose.oneoff=False",
            "--format",
            "{{.Names}} {{.Label \"com.docker.compose.service\"}}"
                + " {{.Label \"com.docker.compose.container-number\"}} {{.State}}");
    String networks =
        dockerCli(
            project.engine,
            "network",
            "ls",
            "--filter",
            filter,
            "--format",
            "{{.Name}} {{.Label \"com.docker.compose.network\"}}");
    String volumes =
        dockerCli(
            project.engine,
            "volume",
            "ls",
            "--filter",
            filter,
            "--format",
            "{{.Name}} {{.Label \"com.docker.compose.volume\"}}");

    // A service that died (another test) is not running, so docker ps lists exactly the seven.
    assertThat(containers.lines())
        .containsExactlyInAnyOrderElementsOf(
            services.stream()
                .map(s -> project.containerName(s.name()) + " " + s.name() + " 1 running")
                .toList());
    assertThat(networks.lines()).containsExactly(project.name + "_default default");
    assertThat(volumes.lines())
        .containsExactlyInAnyOrder(
            project.name + "_db-data db-data", project.name + "_storage-data storage-data");
  }

  @Test
  void givenExampleProject_whenStarted_itShouldHaveStartedEachServiceAfterWhatItDependsOn() {
    for (ComposeService service : services) {
      Instant started = startedAt(service.name());
      for (String dependency : service.dependsOn().keySet()) {
        assertThat(startedAt(dependency))
            .as("%s starts before %s", dependency, service.name())
            .isBefore(started);
      }
    }
  }

  @Test
  void givenExampleProject_whenStarted_itShouldLetServicesReachEachOtherByServiceName() {
    assertThat(project.fetch("worker-queue", "http://kong:8080/"))
        .isEqualTo(new ExecResult(0, KONG_PAGE, false));
    assertThat(project.fetch("studio", "http://postgres:8080/"))
        .isEqualTo(new ExecResult(0, AgentImage.INDEX_HTML, false));
    assertThat(project.inspect("kong").getNetworkSettings().getNetworks())
        .containsOnlyKeys(project.name + "_default");
  }

  @Test
  void givenExampleProject_whenStarted_itShouldPublishPortsAndMountVolumesAsWritten()
      throws Exception {
    HttpResponse<String> kong =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kongPort + "/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(kong.statusCode()).isEqualTo(200);
    assertThat(kong.body()).isEqualTo(KONG_PAGE);
    var postgresPorts = project.inspect("postgres").getNetworkSettings().getPorts().getBindings();
    assertThat(postgresPorts.keySet()).extracting(Object::toString).containsExactly("8080/tcp");
    assertThat(postgresPorts.values().iterator().next()[0].getHostPortSpec()).matches("\\d+");
    assertThat(project.inspect("postgres").getMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getName()).isEqualTo(project.name + "_db-data");
              assertThat(mount.getDestination().getPath()).isEqualTo("/var/lib/postgresql/data");
            });
    assertThat(project.inspect("kong").getMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getDestination().getPath()).isEqualTo("/site");
              assertThat(mount.getRW()).isFalse();
            });
    assertThat(
            project.engine.client().inspectVolumeCmd(project.name + "_db-data").exec().getLabels())
        .containsOnly(
            entry("com.docker.compose.project", project.name),
            entry("com.docker.compose.volume", "db-data"),
            entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION));
  }

  @Test
  void givenExampleProject_whenStarted_itShouldRunWorkerQueueWithItsEnvironmentUserAndDirectory() {
    InspectContainerResponse worker = project.inspect("worker-queue");

    assertThat(worker.getConfig().getEnv())
        .contains(
            "QUEUE_POLL_INTERVAL_MS=500",
            "DATABASE_URL=postgres://postgres:dev-only@postgres:5432/postgres",
            "LOG_LEVEL=debug");
    assertThat(worker.getConfig().getUser()).isEqualTo("1000:1000");
    assertThat(worker.getConfig().getWorkingDir()).isEqualTo("/app");
    assertThat(worker.getConfig().getCmd()).containsExactly("/bin/sleep", "3600");
    assertThat(worker.getHostConfig().getRestartPolicy().toString()).isEqualTo("on-failure:5");
    assertThat(
            project.engine.exec(
                worker.getId(), List.of("/bin/id", "-u"), Duration.ofSeconds(5), () -> {}))
        .isEqualTo(new ExecResult(0, "1000\n", false));
  }

  @Test
  void givenProjectNetwork_whenEnsuredAgain_itShouldReuseItWithComposeLabels() {
    ComposeNetwork again = project.docker.ensureNetwork(new EnsureNetworkRequest(project.name));

    assertThat(project.network.created()).isTrue();
    assertThat(project.network.name()).isEqualTo(project.name + "_default");
    assertThat(again)
        .isEqualTo(new ComposeNetwork(project.network.name(), project.network.id(), false));
    assertThat(project.engine.network(project.network.name()).orElseThrow().getLabels())
        .containsOnly(
            entry("com.docker.compose.project", project.name),
            entry("com.docker.compose.network", "default"),
            entry("com.docker.compose.version", ComposeProject.COMPOSE_VERSION));
  }

  @Test
  void givenRunningExampleProject_whenStartedByAnotherRun_itShouldFindAndKeepEveryContainer() {
    Map<String, String> containersBefore = containerIds();
    Set<String> networksBefore = networkNames();
    Set<String> volumesBefore = volumeNames();

    Map<String, ContainerResult> secondRun = new LinkedHashMap<>();
    for (ComposeService service : services) {
      secondRun.put(service.name(), project.start(service));
    }

    Map<String, ContainerResult> found = new LinkedHashMap<>();
    firstRun.forEach(
        (service, result) ->
            found.put(
                service,
                new ContainerResult(
                    result.service(), result.containerName(), result.health(), null, false)));
    assertThat(secondRun).isEqualTo(found);
    assertThat(containerIds()).isEqualTo(containersBefore);
    assertThat(networkNames()).isEqualTo(networksBefore);
    assertThat(volumeNames()).isEqualTo(volumesBefore);
    services.forEach(
        service -> assertThat(project.inspect(service.name()).getRestartCount()).isZero());
  }

  @Test
  void givenServiceThatExits_whenStarted_itShouldReportItFailedWithExitCodeAndLogWhileOthersRun() {
    ComposeService dead =
        ServiceDraft.named("dead")
            .command("/bin/sh", "-c", "echo cannot reach postgres >&2; exit 3")
            .dependsOn("postgres", ExampleProject.HEALTHY)
            .build();

    ContainerResult result = project.start(dead);

    assertThat(result.health()).isEqualTo(ContainerHealth.FAILED);
    assertThat(result.containerName()).isEqualTo(project.containerName("dead"));
    assertThat(result.message()).contains("exited with code 3").contains("cannot reach postgres");
    services.forEach(
        service ->
            assertThat(project.inspect(service.name()).getState().getRunning())
                .as(service.name())
                .isTrue());
  }

  private String label(String service, String label) {
    return project.inspect(service).getConfig().getLabels().get(label);
  }

  private Instant startedAt(String service) {
    return Instant.parse(project.inspect(service).getState().getStartedAt());
  }

  private static String dependsOnLabel(ComposeService service) {
    return service.dependsOn().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(dependency -> dependency.getKey() + ":" + dependency.getValue() + ":false")
        .collect(Collectors.joining(","));
  }

  private static Map<String, String> composeLabels(Map<String, String> labels) {
    return labels.entrySet().stream()
        .filter(label -> label.getKey().startsWith("com.docker.compose."))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private Map<String, String> containerIds() {
    return project.engine.containers(project.label()).stream()
        .collect(Collectors.toMap(c -> c.getNames()[0].substring(1), Container::getId));
  }

  private Set<String> networkNames() {
    return project.engine.networks(project.label()).stream()
        .map(Network::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Set<String> volumeNames() {
    Set<String> names = new TreeSet<>();
    project.engine.volumes(project.label()).forEach(volume -> names.add(volume.getName()));
    return names;
  }
}
