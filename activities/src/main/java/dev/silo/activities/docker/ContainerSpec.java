package dev.silo.activities.docker;

import dev.silo.workflows.config.ComposeService;
import java.util.List;
import java.util.Map;

/**
 * A container to create, in the engine's terms: names are final and Compose's short syntax is
 * parsed.
 *
 * @param name the container name
 * @param image the image reference
 * @param command the command (empty: the image's)
 * @param entrypoint the entrypoint (empty: the image's)
 * @param environment {@code KEY=VALUE} entries
 * @param labels the container's labels
 * @param workingDir the working directory, or null
 * @param user the user, or null
 * @param restart the restart policy in Compose syntax, or null
 * @param ports the published ports
 * @param mounts the mounts; a named volume's source is the engine's volume name
 * @param networks the networks to join, the first one at creation
 * @param aliases the container's DNS aliases on each of its networks
 */
record ContainerSpec(
    String name,
    String image,
    List<String> command,
    List<String> entrypoint,
    List<String> environment,
    Map<String, String> labels,
    String workingDir,
    String user,
    String restart,
    List<PublishedPort> ports,
    List<ServiceMount> mounts,
    List<String> networks,
    List<String> aliases) {

  ContainerSpec {
    if (networks.isEmpty()) {
      throw new IllegalArgumentException("a container joins at least one network");
    }
  }

  /**
   * The container of a service, as Compose makes it: named {@code {project}-{service}-1}, labelled,
   * reachable by its service name on each of its networks.
   *
   * @param imageId the ID the image reference resolves to now, for the {@code
   *     com.docker.compose.image} label
   * @param networks the engine names of the networks it joins, the default one first
   * @param mounts the parsed {@code volumes}, named volumes with their Compose names
   * @throws IllegalArgumentException when a port is not Compose's short syntax
   */
  static ContainerSpec forService(
      ComposeProject project,
      ComposeService service,
      String imageId,
      String configHash,
      List<String> networks,
      List<ServiceMount> mounts) {
    return new ContainerSpec(
        project.containerName(service.name()),
        service.image(),
        service.command(),
        service.entrypoint(),
        service.environment().entrySet().stream()
            .map(variable -> variable.getKey() + "=" + variable.getValue())
            .toList(),
        project.containerLabels(service, configHash, imageId),
        service.workingDir(),
        service.user(),
        service.restart(),
        service.ports().stream().flatMap(port -> PublishedPort.parse(port).stream()).toList(),
        mounts.stream()
            .map(
                mount ->
                    mount.kind() == ServiceMount.Kind.NAMED
                        ? new ServiceMount(
                            mount.kind(),
                            project.volumeName(mount.source()),
                            mount.target(),
                            mount.mode())
                        : mount)
            .toList(),
        networks,
        List.of(service.name()));
  }
}
