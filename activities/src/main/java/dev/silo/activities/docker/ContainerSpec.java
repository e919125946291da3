package dev.silo.activities.docker;

import dev.silo.workflows.config.ComposeService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * The label naming the workflow run that created the container, {@code {workflowId}/{runId}}: a
   * retry of that run finds its own container, any other run finds one it did not create. It is
   * not a Compose label and not part of the {@link ConfigHash}, so a container is never recreated
   * for having been created by another run.
   */
  static final String CREATED_BY_RUN_LABEL = "dev.silo.created-by-run";

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
   * @param createdByRun the {@code {workflowId}/{runId}} creating it, for the {@link
   *     #CREATED_BY_RUN_LABEL} label; empty outside a workflow run, which leaves the label out
   * @param networks the engine names of the networks it joins, the default one first
   * @param mounts the parsed {@code volumes}, named volumes with their Compose names
   * @throws IllegalArgumentException when a port is not Compose's short syntax
   */
  static ContainerSpec forService(
      ComposeProject project,
      ComposeService service,
      String imageId,
      String configHash,
      Optional<String> createdByRun,
      List<String> networks,
      List<ServiceMount> mounts) {
    Map<String, String> labels =
        new LinkedHashMap<>(project.containerLabels(service, configHash, imageId));
    createdByRun.ifPresent(run -> labels.put(CREATED_BY_RUN_LABEL, run));
    return new ContainerSpec(
        project.containerName(service.name()),
        service.image(),
        service.command(),
        service.entrypoint(),
        service.environment().entrySet().stream()
            .map(variable -> variable.getKey() + "=" + variable.getValue())
            .toList(),
        labels,
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
