package dev.silo.activities.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container engine, reached with docker-java over its Docker-compatible API (Docker, or
 * Podman's {@code podman system service}). This is the client boundary: every docker-java exception
 * is classified here, once. An engine that cannot be reached, or answers 408, 429 or 5xx, is a
 * retryable {@link FailureType#VENDOR_UNAVAILABLE}; any other refusal is a non-retryable {@link
 * FailureType#VENDOR_REJECTED}, except where a method says it answers "absent" (empty, false) or
 * throws {@link EngineRefusal} for a refusal that is a service's own failure.
 *
 * <p>It is one unit over 300 lines because it is the one client boundary to the engine's API:
 * split, the classification of docker-java's exceptions would be repeated or drift apart between
 * the parts.
 */
public final class DockerEngine implements Closeable {

  /** The engine's address, as the Docker CLI reads it. */
  public static final String HOST_VARIABLE = "DOCKER_HOST";

  /**
   * The API version every request names: the one Podman 4.x serves, which Docker Engine 20.10 and
   * later accept too. Left unset, docker-java sends unversioned requests and each engine answers in
   * its own latest shape; pinned, requests and answers have the shapes that were tested.
   */
  static final RemoteApiVersion API_VERSION = RemoteApiVersion.VERSION_1_41;

  /** Where engines listen when DOCKER_HOST is not set, in the order they are tried. */
  private static final List<String> DEFAULT_SOCKETS =
      List.of("/var/run/docker.sock", "/run/podman/podman.sock");

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long one response may stay silent. Long waits (pulls, probes) are streamed or bounded by
   * their callers, so this only catches an engine that stopped answering.
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

  /** How much of a command's output, or of a container's log, is kept. */
  private static final int OUTPUT_LIMIT = 4000;

  /** How long reading a log tail may take. */
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

  /** How often a long wait comes back to let its caller heartbeat. */
  private static final Duration WAIT_SLICE = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

  private final String host;
  private final DockerHttpClient http;
  private final DockerClient client;

  private DockerEngine(String host, DockerHttpClient http, DockerClient client) {
    this.host = withoutUserInfo(host);
    this.http = http;
    this.client = client;
  }

  /**
   * Finds the engine the environment points at and checks that it answers: {@value #HOST_VARIABLE}
   * when set (with {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} for TLS), otherwise the
   * first of {@code /var/run/docker.sock}, {@code /run/podman/podman.sock} and {@code
   * $XDG_RUNTIME_DIR/podman/podman.sock} that exists.
   *
   * @return the engine, or empty when none is configured or it does not answer a ping
   */
  public static Optional<DockerEngine> detect(DockerSettings settings) {
    return probe(settings).engine();
  }

  /**
   * What {@link #detect} found, and when no engine answers, what it tried and why that failed.
   *
   * @param engine the engine that answered, or empty
   * @param tried for messages: the address that did not answer and why, or the variable and sockets
   *     looked for when none was there
   */
  public record Probe(Optional<DockerEngine> engine, String tried) {}

  /** As {@link #detect}, saying what was tried when no engine answers. */
  public static Probe probe(DockerSettings settings) {
    Optional<String> host = host(settings);
    if (host.isEmpty()) {
      return new Probe(Optional.empty(), HOST_VARIABLE + " is unset and none of " + String.join(", ",
          defaultSockets(settings)) + " exists");
    }
    String shown = withoutUserInfo(host.get());
    String source = settings.host() != null ? HOST_VARIABLE + "=" + shown : shown;
    DockerEngine engine = connect(host.get(), settings);
    try {
      engine.ping();
      return new Probe(Optional.of(engine), source);
    } catch (ApplicationFailure failure) {
      log.info("No container engine answers at {}: {}", shown, failure.getOriginalMessage());
      engine.close();
      return new Probe(Optional.empty(), source + " does not answer (" + failure.getOriginalMessage() + ")");
    }
  }

  /**
   * Where the environment says the engine is: {@value #HOST_VARIABLE}, or the first default socket
   * that exists; empty when neither.
   */
  public static Optional<String> host(DockerSettings settings) {
    if (settings.host() != null) {
      return Optional.of(settings.host());
    }
    return defaultSockets(settings).stream()
        .filter(socket -> Files.exists(Path.of(socket)))
        .findFirst()
        .map(socket -> "unix://" + socket);
  }

  /** The sockets looked for when {@value #HOST_VARIABLE} is unset, in order. */
  private static List<String> defaultSockets(DockerSettings settings) {
    List<String> sockets = new ArrayList<>(DEFAULT_SOCKETS);
    if (settings.runtimeDirectory() != null) {
      sockets.add(settings.runtimeDirectory() + "/podman/podman.sock");
    }
    return sockets;
  }

  /**
   * The address as messages and logs show it: a user and password written into it ({@code
   * tcp://user:password@host:2376}) are left out, since they would otherwise reach the worker's
   * output and the activities' failure messages.
   */
  static String withoutUserInfo(String host) {
    return host.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  /**
   * Builds a client for an engine without checking that it answers.
   *
   * @param host {@code unix:///path}, {@code tcp://host:port} or {@code npipe://...}
   * @param settings where {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} come from
   */
  static DockerEngine connect(String host, DockerSettings settings) {
    DefaultDockerClientConfig.Builder builder =
        new DefaultDockerClientConfig.Builder().withDockerHost(host).withApiVersion(API_VERSION);
    String tlsVerify = settings.tlsVerify();
    if (tlsVerify != null) {
      builder.withDockerTlsVerify(!tlsVerify.equals("0") && !tlsVerify.equalsIgnoreCase("false"));
    }
    String certPath = settings.certPath();
    if (certPath != null) {
      builder.withDockerCertPath(certPath);
    }
    DockerClientConfig config = builder.build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(CONNECT_TIMEOUT)
            .responseTimeout(RESPONSE_TIMEOUT)
            .build();
    return new DockerEngine(host, http, DockerClientImpl.getInstance(config, http));
  }

  /** The engine's address, for messages. */
  public String host() {
    return host;
  }

  /** Checks that the engine answers. */
  public void ping() {
    call("ping", () -> client.pingCmd().exec());
  }

  /** The docker-java client itself, for tests that set up what the activities must find. */
  DockerClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      log.debug("Closing the client of {} failed", host, e);
    }
  }

  // Images.

  /** The ID of a local image, or empty when the engine does not have it. */
  Optional<String> imageId(String image) {
    return find("inspect image " + image, () -> client.inspectImageCmd(image).exec().getId());
  }

  /**
   * Pulls an image, once, waiting at most {@code timeout}.
   *
   * @param whileWaiting run every few seconds while the pull goes on
   * @throws EngineRefusal when the engine cannot pull it (unknown image, registry unreachable or
   *     refusing) or the pull takes longer than {@code timeout}
   */
  void pull(String image, Duration timeout, Runnable whileWaiting) throws EngineRefusal {
    String repository = image;
    String tag = "latest";
    int at = image.indexOf('@');
    int colon = image.lastIndexOf(':');
    if (at >= 0) {
      repository = image.substring(0, at);
      tag = image.substring(at + 1);
    } else if (colon > image.lastIndexOf('/')) {
      repository = image.substring(0, colon);
      tag = image.substring(colon + 1);
    }
    PullProgress progress = new PullProgress();
    try (progress) {
      client.pullImageCmd(repository).withTag(tag).exec(progress);
      if (!await(progress, timeout, whileWaiting)) {
        throw new EngineRefusal("the pull did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (DockerException e) {
      throw new EngineRefusal(reason(e));
    } catch (IOException e) {
      log.debug("Closing the pull of {} failed", image, e);
    } catch (RuntimeException e) {
      throw unreachableOr("pull " + image, e);
    }
    if (progress.error != null) {
      throw new EngineRefusal(progress.error);
    }
  }

  /**
   * Imports a root filesystem as an image ({@code docker import}): the image-create API with the
   * tar archive as the request body. docker-java's {@code createImageCmd} sends "{}" instead of the
   * stream (docker-java issue 2377), so the request is made on the HTTP client directly. Podman
   * ignores the tag and names the import {@code repository:latest}, so callers tag the returned ID
   * themselves.
   *
   * @return the new image's ID
   */
  String importImage(String repository, String tag, byte[] rootFilesystem) {
    String action = "import image " + repository + ":" + tag;
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path(
                "/v"
                    + API_VERSION.getVersion()
                    + "/images/create?fromSrc=-&repo="
                    + URLEncoder.encode(repository, StandardCharsets.UTF_8)
                    + "&tag="
                    + URLEncoder.encode(tag, StandardCharsets.UTF_8))
            .putHeader("Content-Type", "application/x-tar")
            .bodyBytes(rootFilesystem)
            .build();
    String body;
    int status;
    try (DockerHttpClient.Response response = http.execute(request)) {
      status = response.getStatusCode();
      body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unreachableOr(action, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw unreachableOr(action, e);
    }
    if (status / 100 != 2) {
      throw classify(action, new DockerException(body, status));
    }
    String id = null;
    for (String line : body.split("\\R")) {
      try {
        JsonNode item = JSON.readTree(line);
        if (item != null && item.hasNonNull("error")) {
          throw classify(action, new DockerException(item.get("error").asText(), 400));
        }
        if (item != null && item.path("status").asText("").startsWith("sha256:")) {
          id = item.get("status").asText();
        }
      } catch (IOException notJson) {
        log.trace("Ignoring a line of the import's answer: {}", line);
      }
    }
    if (id == null) {
      throw classify(
          action, new DockerException("the engine did not name the imported image: " + body, 502));
    }
    return id;
  }

  /** Gives an image another name, moving the name off any image that had it. */
  void tagImage(String imageId, String repository, String tag) {
    call(
        "tag image " + imageId + " as " + repository + ":" + tag,
        () -> client.tagImageCmd(imageId, repository, tag).withForce(true).exec());
  }

  // Networks.

  /** A network by exact name, or empty when there is none. */
  Optional<Network> network(String name) {
    return find(
            "inspect network " + name, () -> client.inspectNetworkCmd().withNetworkId(name).exec())
        .filter(network -> name.equals(network.getName()));
  }

  /**
   * Creates a bridge network.
   *
   * @return its ID, or empty when a network of that name already exists
   */
  Optional<String> createNetwork(String name, Map<String, String> labels) {
    return call(
        "create network " + name,
        () -> {
          try {
            return Optional.of(
                client
                    .createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withLabels(labels)
                    .withCheckDuplicate(true)
                    .exec()
                    .getId());
          } catch (ConflictException e) {
            return Optional.empty();
          }
        });
  }

  /** The networks that carry a label, given as {@code key=value}. */
  List<Network> networks(String label) {
    return call(
        "list networks " + label,
        () -> client.listNetworksCmd().withFilter("label", List.of(label)).exec());
  }

  /** Removes a network; false when it was already gone. */
  boolean removeNetwork(String id) {
    return call(
        "remove network " + id, () -> absentIsFalse(() -> client.removeNetworkCmd(id).exec()));
  }

  // Volumes.

  /** Creates a volume unless one of that name exists. */
  void createVolume(String name, Map<String, String> labels) {
    if (volumeExists(name)) {
      return;
    }
    try {
      client.createVolumeCmd().withName(name).withLabels(labels).exec();
    } catch (DockerException e) {
      // Another activity created it in between; engines answer that with 409 or 500.
      if (!volumeExists(name)) {
        throw classify("create volume " + name, e);
      }
    } catch (RuntimeException e) {
      throw unreachableOr("create volume " + name, e);
    }
  }

  /** The volumes that carry a label, given as {@code key=value}. */
  List<InspectVolumeResponse> volumes(String label) {
    return call(
        "list volumes " + label,
        () -> {
          List<InspectVolumeResponse> volumes =
              client.listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes();
          return volumes == null ? List.of() : volumes;
        });
  }

  /** Removes a volume; false when it was already gone. */
  boolean removeVolume(String name) {
    return call(
        "remove volume " + name, () -> absentIsFalse(() -> client.removeVolumeCmd(name).exec()));
  }

  private boolean volumeExists(String name) {
    return find("inspect volume " + name, () -> client.inspectVolumeCmd(name).exec()).isPresent();
  }

  // Containers.

  /** A container by exact name or ID, or empty when there is none. */
  Optional<InspectContainerResponse> container(String nameOrId) {
    return find("inspect container " + nameOrId, () -> client.inspectContainerCmd(nameOrId).exec())
        .filter(
            container ->
                container.getId().startsWith(nameOrId)
                    || ("/" + nameOrId).equals(container.getName())
                    || nameOrId.equals(container.getName()));
  }

  /** The containers, running or not, that carry a label, given as {@code key=value}. */
  List<Container> containers(String label) {
    return call(
        "list containers " + label,
        () -> client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec());
  }

  /**
   * Creates a container, joined to its first network, and connects it to the others.
   *
   * @return its ID
   * @throws EngineRefusal when the engine refuses the container (a name in use, a bad mount, a
   *     network that is gone)
   */
  String createContainer(ContainerSpec spec) throws EngineRefusal {
    Ports bindings = new Ports();
    Set<ExposedPort> exposed = new LinkedHashSet<>();
    for (PublishedPort port : spec.ports()) {
      ExposedPort containerPort =
          new ExposedPort(port.containerPort(), InternetProtocol.parse(port.protocol()));
      exposed.add(containerPort);
      bindings.bind(containerPort, new Ports.Binding(port.hostIp(), port.hostPort()));
    }
    List<Bind> binds = new ArrayList<>();
    List<Volume> anonymous = new ArrayList<>();
    for (ServiceMount mount : spec.mounts()) {
      if (mount.kind() == ServiceMount.Kind.ANONYMOUS) {
        anonymous.add(new Volume(mount.target()));
      } else {
        String mode = mount.mode() == null ? "" : ":" + mount.mode();
        binds.add(Bind.parse(mount.source() + ":" + mount.target() + mode));
      }
    }
    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withNetworkMode(spec.networks().get(0))
            .withPortBindings(bindings)
            .withBinds(binds);
    if (spec.restart() != null) {
      hostConfig.withRestartPolicy(RestartPolicy.parse(spec.restart()));
    }
    CreateContainerCmd create =
        client
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEnv(spec.environment())
            .withExposedPorts(List.copyOf(exposed))
            .withVolumes(anonymous)
            .withHostConfig(hostConfig)
            .withAliases(spec.aliases());
    if (!spec.command().isEmpty()) {
      create.withCmd(spec.command());
    }
    if (!spec.entrypoint().isEmpty()) {
      create.withEntrypoint(spec.entrypoint());
    }
    if (spec.workingDir() != null) {
      create.withWorkingDir(spec.workingDir());
    }
    if (spec.user() != null) {
      create.withUser(spec.user());
    }
    String id = refusable("create container " + spec.name(), () -> create.exec().getId());
    for (String network : spec.networks().subList(1, spec.networks().size())) {
      refusable(
          "connect " + spec.name() + " to network " + network,
          () -> {
            client
                .connectToNetworkCmd()
                .withNetworkId(network)
                .withContainerId(id)
                .withContainerNetwork(new ContainerNetwork().withAliases(spec.aliases()))
                .exec();
            return id;
          });
    }
    return id;
  }

  /**
   * Starts a container; one already running is left as it is.
   *
   * @throws EngineRefusal when the engine cannot start it (its command does not exist, a host port
   *     is taken)
   */
  void start(String containerId) throws EngineRefusal {
    refusable(
        "start container " + containerId,
        () -> {
          try {
            client.startContainerCmd(containerId).exec();
          } catch (NotModifiedException e) {
            log.debug("Container {} was already running", containerId);
          }
          return containerId;
        });
  }

  /**
   * Stops a container: SIGTERM, then SIGKILL after {@code timeout}.
   *
   * @return false when it was not running or is gone
   */
  boolean stop(String containerId, Duration timeout) {
    return call(
        "stop container " + containerId,
        () -> {
          try {
            client.stopContainerCmd(containerId).withTimeout((int) timeout.toSeconds()).exec();
            return true;
          } catch (NotModifiedException | NotFoundException e) {
            return false;
          }
        });
  }

  /**
   * Removes a container, killing it if it still runs.
   *
   * @param anonymousVolumes whether its anonymous volumes go too ({@code docker rm -v})
   * @return false when it was already gone
   */
  boolean removeContainer(String containerId, boolean anonymousVolumes) {
    return call(
        "remove container " + containerId,
        () ->
            absentIsFalse(
                () ->
                    client
                        .removeContainerCmd(containerId)
                        .withForce(true)
                        .withRemoveVolumes(anonymousVolumes)
                        .exec()));
  }

  /**
   * Runs a command in a running container and waits at most {@code timeout} for it. A command still
   * running then is abandoned, not killed: the API has no way to kill an exec.
   *
   * @param whileWaiting run every few seconds while the command runs
   */
  ExecResult exec(String containerId, List<String> argv, Duration timeout, Runnable whileWaiting) {
    String execId;
    try {
      execId =
          client
              .execCreateCmd(containerId)
              .withCmd(argv.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
    } catch (DockerException e) {
      // A container that stopped refuses exec: the probe failed, the engine did not.
      return new ExecResult(null, reason(e), false);
    } catch (RuntimeException e) {
      throw unreachableOr("exec in " + containerId, e);
    }
    Output output = new Output();
    try (output) {
      client.execStartCmd(execId).exec(output);
      if (!await(output, timeout, whileWaiting)) {
        return new ExecResult(
            null, "timed out after " + timeout.toMillis() + " ms; output: " + output.text(), true);
      }
    } catch (DockerException e) {
      return new ExecResult(null, reason(e), false);
    } catch (IOException e) {
      log.debug("Closing the exec stream in {} failed", containerId, e);
    } catch (RuntimeException e) {
      throw unreachableOr("exec in " + containerId, e);
    }
    return new ExecResult(exitCode(execId), output.text(), false);
  }

  /** The last lines a container wrote to stdout and stderr, at most a few kilobytes. */
  String logTail(String containerId, int lines) {
    Output output = new Output();
    try (output) {
      client
          .logContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(lines)
          .exec(output);
      await(output, LOG_TIMEOUT, () -> {});
    } catch (DockerException e) {
      return "(no log: " + reason(e) + ")";
    } catch (IOException e) {
      log.debug("Closing the log stream of {} failed", containerId, e);
    } catch (RuntimeException e) {
      throw unreachableOr("read the log of " + containerId, e);
    }
    return output.text();
  }

  /**
   * The exit code of a finished exec. Docker fills it in a moment after the output stream ends, so
   * it is read a few times.
   */
  private Integer exitCode(String execId) {
    for (int attempt = 0; attempt < 20; attempt++) {
      var inspection = call("inspect exec " + execId, () -> client.inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(inspection.isRunning()) && inspection.getExitCodeLong() != null) {
        return inspection.getExitCodeLong().intValue();
      }
      pause(Duration.ofMillis(50));
    }
    return null;
  }

  // Classification.

  /** Runs a request; any failure is classified. */
  private <T> T call(String action, Supplier<T> request) {
    try {
      return request.get();
    } catch (DockerException e) {
      throw classify(action, e);
    } catch (RuntimeException e) {
      throw unreachableOr(action, e);
    }
  }

  /** Runs a request whose 404 means "absent". */
  private <T> Optional<T> find(String action, Supplier<T> request) {
    return call(
        action,
        () -> {
          try {
            return Optional.ofNullable(request.get());
          } catch (NotFoundException e) {
            return Optional.empty();
          }
        });
  }

  /** Runs a request whose refusal, whatever its status, is a service's failure. */
  private <T> T refusable(String action, Supplier<T> request) throws EngineRefusal {
    try {
      return request.get();
    } catch (DockerException e) {
      throw new EngineRefusal(reason(e));
    } catch (IllegalArgumentException e) {
      throw new EngineRefusal(e.getMessage());
    } catch (RuntimeException e) {
      throw unreachableOr(action, e);
    }
  }

  private static boolean absentIsFalse(Runnable request) {
    try {
      request.run();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** An answer of the engine: 408, 429 and 5xx are retried, other refusals are not. */
  private ApplicationFailure classify(String action, DockerException e) {
    int status = e.getHttpStatus();
    String message =
        "The container engine at "
            + host
            + " refused to "
            + action
            + " (HTTP "
            + status
            + "): "
            + reason(e);
    if (status == 408 || status == 429 || status >= 500) {
      return ApplicationFailure.newFailureWithCause(
          message, FailureType.VENDOR_UNAVAILABLE.type(), e);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(
        message, FailureType.VENDOR_REJECTED.type(), e);
  }

  /**
   * A failure without an answer: I/O (no socket, connection refused or reset, silence) is a
   * retryable {@link FailureType#VENDOR_UNAVAILABLE}; anything else is not the engine's doing and
   * goes on as it is.
   */
  private RuntimeException unreachableOr(String action, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return ApplicationFailure.newFailureWithCause(
            "The container engine at " + host + " could not be reached to " + action + ": " + cause,
            FailureType.VENDOR_UNAVAILABLE.type(),
            e);
      }
    }
    return e;
  }

  /** The engine's own message, from the JSON body docker-java puts in its exception. */
  static String reason(DockerException e) {
    String text = e.getMessage() == null ? "" : e.getMessage().trim();
    String body = text.replaceFirst("^Status \\d+: ", "");
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.hasNonNull("message")) {
        return json.get("message").asText();
      }
    } catch (IOException notJson) {
      log.trace("Engine message is not JSON: {}", body);
    }
    return body.isEmpty() ? "HTTP " + e.getHttpStatus() : body;
  }

  /**
   * Waits for a stream to end, coming back every few seconds to run {@code whileWaiting}, and
   * rethrows what ended it if it failed.
   *
   * @return false when it had not ended after {@code timeout}
   */
  private static boolean await(Stream<?> stream, Duration timeout, Runnable whileWaiting) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        if (stream.ended.await(Math.min(left, WAIT_SLICE.toNanos()), TimeUnit.NANOSECONDS)) {
          stream.rethrow();
          return true;
        }
        whileWaiting.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the container engine", e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the container engine", e);
    }
  }

  /**
   * A stream of items from the engine. docker-java's own {@code awaitCompletion(timeout)} closes
   * the stream when its time is up, so a wait in slices (to heartbeat between them) waits on this
   * latch instead; and a failed stream is kept here rather than logged as an error by docker-java.
   */
  private abstract static class Stream<T> extends ResultCallback.Adapter<T> {

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;

    @Override
    public void onComplete() {
      try {
        super.onComplete();
      } finally {
        ended.countDown();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (failure == null && ended.getCount() > 0) {
        failure = throwable;
      }
      try {
        close();
      } catch (IOException e) {
        log.debug("Closing a failed stream failed", e);
      } finally {
        ended.countDown();
      }
    }

    void rethrow() {
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure != null) {
        throw new UncheckedIOException(
            failure instanceof IOException io ? io : new IOException(failure));
      }
    }
  }

  /** Collects the end of a stream of stdout and stderr frames. */
  private static final class Output extends Stream<Frame> {

    private final StringBuilder text = new StringBuilder();

    @Override
    public void onNext(Frame frame) {
      synchronized (text) {
        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        if (text.length() > 2 * OUTPUT_LIMIT) {
          text.delete(0, text.length() - OUTPUT_LIMIT);
        }
      }
    }

    String text() {
      synchronized (text) {
        String all = text.toString();
        return all.length() > OUTPUT_LIMIT ? all.substring(all.length() - OUTPUT_LIMIT) : all;
      }
    }
  }

  /**
   * Follows a pull. An engine reports a failed pull inside a 200 stream (Podman always does), so
   * the error is read from the stream rather than from the status.
   */
  private static final class PullProgress extends Stream<PullResponseItem> {

    private volatile String error;

    @Override
    public void onNext(PullResponseItem item) {
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
      } else if (item.getError() != null) {
        error = item.getError();
      }
    }
  }
}
