package dev.silo.activities.docker;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.ComposeService;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Compose project on the engine: the names and labels Docker Compose v2 gives its containers,
 * networks and volumes, so that {@code docker compose -p <project> ps} and {@code docker ps
 * --filter label=com.docker.compose.project=<project>} see what we create as a Compose project.
 *
 * @param name the project name
 */
record ComposeProject(String name) {

  /** The Compose version our labels claim; the label format is that of Compose 2.x. */
  static final String COMPOSE_VERSION = "2.29.0";

  static final String PROJECT_LABEL = "com.docker.compose.project";
  static final String SERVICE_LABEL = "com.docker.compose.service";
  static final String CONTAINER_NUMBER_LABEL = "com.docker.compose.container-number";
  static final String ONEOFF_LABEL = "com.docker.compose.oneoff";
  static final String CONFIG_HASH_LABEL = "com.docker.compose.config-hash";
  static final String VERSION_LABEL = "com.docker.compose.version";
  static final String DEPENDS_ON_LABEL = "com.docker.compose.depends_on";
  static final String IMAGE_LABEL = "com.docker.compose.image";
  static final String NETWORK_LABEL = "com.docker.compose.network";
  static final String VOLUME_LABEL = "com.docker.compose.volume";

  /** The network every service joins unless it lists its own. */
  static final String DEFAULT_NETWORK = "default";

  /** Compose accepts the same characters: lowercase letters, digits, '-' and '_'. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /**
   * @throws ApplicationFailure {@code INVALID_REQUEST} when the name is not a Compose project name;
   *     a blank name would otherwise select every project's resources by label
   */
  ComposeProject {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + name + "' is not a Compose project name (lowercase letters, digits, '-', '_')",
          FailureType.INVALID_REQUEST.type());
    }
  }

  /** The container of a service: {@code {project}-{service}-1}, as Compose v2 names it. */
  String containerName(String service) {
    return name + "-" + service + "-1";
  }

  /** A project network: {@code {project}_{network}}. */
  String networkName(String network) {
    return name + "_" + network;
  }

  /** A named volume: {@code {project}_{volume}}. */
  String volumeName(String volume) {
    return name + "_" + volume;
  }

  /** The label filter that selects this project's resources and nothing else. */
  String labelFilter() {
    return PROJECT_LABEL + "=" + name;
  }

  Map<String, String> networkLabels(String network) {
    return Map.of(PROJECT_LABEL, name, NETWORK_LABEL, network, VERSION_LABEL, COMPOSE_VERSION);
  }

  Map<String, String> volumeLabels(String volume) {
    return Map.of(PROJECT_LABEL, name, VOLUME_LABEL, volume, VERSION_LABEL, COMPOSE_VERSION);
  }

  /**
   * The labels of a service's container: its own labels, then the ones Compose sets (which win, as
   * in Compose). {@code com.docker.compose.project.working_dir} and {@code .config_files} are left
   * out: the worker does not know where the operator's copy of the file lives.
   *
   * @param configHash the service's {@link ConfigHash}
   * @param imageId the ID of the image the container runs
   */
  Map<String, String> containerLabels(ComposeService service, String configHash, String imageId) {
    Map<String, String> labels = new LinkedHashMap<>(service.labels());
    labels.put(PROJECT_LABEL, name);
    labels.put(SERVICE_LABEL, service.name());
    labels.put(CONTAINER_NUMBER_LABEL, "1");
    labels.put(ONEOFF_LABEL, "False");
    labels.put(CONFIG_HASH_LABEL, configHash);
    labels.put(VERSION_LABEL, COMPOSE_VERSION);
    labels.put(DEPENDS_ON_LABEL, dependsOn(service));
    labels.put(IMAGE_LABEL, imageId);
    return labels;
  }

  /** Whether a container carrying these labels is this project's container of that service. */
  boolean owns(Map<String, String> labels, String service) {
    return labels != null
        && name.equals(labels.get(PROJECT_LABEL))
        && service.equals(labels.get(SERVICE_LABEL))
        && "False".equals(labels.get(ONEOFF_LABEL));
  }

  /**
   * Compose v2 writes {@code service:condition:restart} per dependency, comma-separated; restart is
   * {@code false} because Silo Deployer does not support {@code depends_on.restart}. Sorted, where
   * Compose uses Go's random map order.
   */
  private static String dependsOn(ComposeService service) {
    return service.dependsOn().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(dependency -> dependency.getKey() + ":" + dependency.getValue() + ":false")
        .collect(Collectors.joining(","));
  }
}
