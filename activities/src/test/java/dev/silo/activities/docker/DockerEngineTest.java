package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.github.dockerjava.api.exception.DockerException;
import com.sun.net.httpserver.HttpServer;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client boundary, against an engine stand-in that answers what each test needs. */
class DockerEngineTest {

  @TempDir Path temp;

  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void givenDockerHost_whenLookingForTheEngine_itShouldUseItOverTheDefaultSockets() {
    assertThat(DockerEngine.host(settings(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"))))
        .contains("tcp://10.0.0.5:2375");
  }

  @Test
  void givenDockerHostWhereNothingListens_whenDetecting_itShouldFindNoEngine() {
    String socket = "unix://" + temp.resolve("nothing.sock");

    assertThat(DockerEngine.detect(settings(Map.of("DOCKER_HOST", socket)))).isEmpty();
  }

  @Test
  void givenDockerHostWhereNothingListens_whenProbing_itShouldNameTheAddressTried() {
    String socket = "unix://" + temp.resolve("nothing.sock");

    DockerEngine.Probe probe = DockerEngine.probe(settings(Map.of("DOCKER_HOST", socket)));

    assertThat(probe.engine()).isEmpty();
    assertThat(probe.tried()).startsWith("DOCKER_HOST=" + socket + " does not answer (");
  }

  @Test
  void givenDockerHostWithAUserAndPassword_whenProbing_itShouldNameTheAddressWithoutThem()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    DockerEngine.Probe probe =
        DockerEngine.probe(settings(Map.of("DOCKER_HOST", "tcp://deployer:s3cret@127.0.0.1:" + closedPort)));

    assertThat(probe.engine()).isEmpty();
    assertThat(probe.tried())
        .startsWith("DOCKER_HOST=tcp://127.0.0.1:" + closedPort + " does not answer (")
        .doesNotContain("s3cret", "deployer");
  }

  @Test
  void givenNoDockerHostAndNoSocket_whenProbing_itShouldNameEverySocketLookedFor() {
    String runtimeDirectory = temp.resolve("run-user").toString();

    assumeThat(DockerEngine.host(settings(Map.of("XDG_RUNTIME_DIR", runtimeDirectory))))
        .as("this machine has an engine socket at a default place").isEmpty();

    DockerEngine.Probe probe = DockerEngine.probe(settings(Map.of("XDG_RUNTIME_DIR", runtimeDirectory)));

    assertThat(probe.engine()).isEmpty();
    assertThat(probe.tried()).isEqualTo("DOCKER_HOST is unset and none of /var/run/docker.sock,"
        + " /run/podman/podman.sock, " + runtimeDirectory + "/podman/podman.sock exists");
  }

  @Test
  void givenEngineThatCannotBeReached_whenCalled_itShouldFailRetryablyAsUnavailable()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (DockerEngine engine = DockerEngine.connect("tcp://127.0.0.1:" + closedPort, DockerSettings.NONE)) {
      ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, engine::ping);

      assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getOriginalMessage()).contains("could not be reached to ping");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "400, VENDOR_REJECTED, true",
    "403, VENDOR_REJECTED, true",
    "408, VENDOR_UNAVAILABLE, false",
    "429, VENDOR_UNAVAILABLE, false",
    "500, VENDOR_UNAVAILABLE, false",
    "503, VENDOR_UNAVAILABLE, false"
  })
  void givenEngineThatAnswersAnError_whenCalled_itShouldClassifyItOnce(
      int status, FailureType type, boolean nonRetryable) throws Exception {
    try (DockerEngine engine = engineAnswering(status, "{\"message\":\"engine says no\"}")) {
      ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, engine::ping);

      assertThat(failure.getType()).isEqualTo(type.type());
      assertThat(failure.isNonRetryable()).isEqualTo(nonRetryable);
      assertThat(failure.getOriginalMessage())
          .contains("refused to ping (HTTP " + status + "): engine says no");
    }
  }

  @Test
  void givenEngineThatAnswers404_whenLookingSomethingUp_itShouldFindNothingRatherThanFail()
      throws Exception {
    try (DockerEngine engine = engineAnswering(404, "{\"message\":\"no such container\"}")) {
      assertThat(engine.container("silo-acme-crm-auth-1")).isEmpty();
      assertThat(engine.imageId("localhost/nothing:1")).isEmpty();
      assertThat(engine.network("silo-acme-crm_default")).isEmpty();
    }
  }

  @Test
  void givenEngineThatRefusesACreate_whenCreatingAContainer_itShouldReportTheRefusalNotFail()
      throws Exception {
    try (DockerEngine engine =
        engineAnswering(500, "{\"message\":\"port is already allocated\"}")) {
      ContainerSpec spec =
          ContainerSpec.forService(
              new ComposeProject("silo-acme-crm"),
              ServiceDraft.named("kong").command("kong").ports("8000:8000").build(),
              "sha256:1",
              "hash",
              java.util.Optional.of("silo-acme-crm/run-1"),
              java.util.List.of("silo-acme-crm_default"),
              java.util.List.of());

      EngineRefusal refusal =
          catchThrowableOfType(EngineRefusal.class, () -> engine.createContainer(spec));

      assertThat(refusal).hasMessage("port is already allocated");
    }
  }

  @Test
  void givenDockerJavaMessage_whenReadingTheReason_itShouldKeepTheEnginesOwnWords() {
    assertThat(
            DockerEngine.reason(
                new DockerException("{\"cause\":\"x\",\"message\":\"name in use\"}", 409)))
        .isEqualTo("name in use");
    assertThat(DockerEngine.reason(new DockerException("plain text", 500))).isEqualTo("plain text");
  }

  /** An engine whose every answer is {@code status} with {@code body}. */
  private DockerEngine engineAnswering(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return DockerEngine.connect("tcp://127.0.0.1:" + server.getAddress().getPort(), DockerSettings.NONE);
  }

  private static DockerSettings settings(Map<String, String> environment) {
    return WorkerSettings.docker(environment);
  }
}
