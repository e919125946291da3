package dev.silo.workflows.config;

import java.util.List;
import java.util.Map;

/**
 * One Compose service, restricted to the keys Silo Deployer supports. Any other key in the file is
 * a validation error, never silently ignored.
 *
 * @param name the service name
 * @param image the image reference
 * @param command the command, split into arguments (empty: the image's default)
 * @param entrypoint the entrypoint, split into arguments (empty: the image's default)
 * @param environment {@code environment} merged over {@code env_file}, in order
 * @param ports port mappings in Compose short syntax ({@code "8080:80"}, {@code "5432"})
 * @param volumes volume mounts in Compose short syntax; bind sources resolved to absolute paths
 * @param dependsOn the services this one waits for, each with its Compose condition
 *     ({@code service_started}, {@code service_healthy} or {@code service_completed_successfully})
 * @param healthcheck the healthcheck, or null when the service declares none
 * @param labels the service's own labels
 * @param restart the restart policy ({@code no}, {@code always}, {@code on-failure}, {@code
 *     unless-stopped}), or null
 * @param networks the networks the service joins (empty: the project's default network)
 * @param workingDir the working directory, or null
 * @param user the user, or null
 */
public record ComposeService(
    String name,
    String image,
    List<String> command,
    List<String> entrypoint,
    Map<String, String> environment,
    List<String> ports,
    List<String> volumes,
    Map<String, String> dependsOn,
    Healthcheck healthcheck,
    Map<String, String> labels,
    String restart,
    List<String> networks,
    String workingDir,
    String user) {

  public ComposeService {
    command = command == null ? List.of() : List.copyOf(command);
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    environment = environment == null ? Map.of() : environment;
    ports = ports == null ? List.of() : List.copyOf(ports);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    dependsOn = dependsOn == null ? Map.of() : dependsOn;
    labels = labels == null ? Map.of() : labels;
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  /** The Compose condition that waits for a dependency's healthcheck to pass. */
  public static final String SERVICE_HEALTHY = "service_healthy";
}
