package dev.silo.activities.docker;

import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.Healthcheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Compose service being written for a test: the {@link AgentImage}, restart {@code no} and
 * nothing else until told.
 */
final class ServiceDraft {

  private final String name;
  private String image = AgentImage.NAME;
  private List<String> command = List.of();
  private List<String> entrypoint = List.of();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private List<String> ports = List.of();
  private List<String> volumes = List.of();
  private final Map<String, String> dependsOn = new LinkedHashMap<>();
  private Healthcheck healthcheck;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private String restart;
  private List<String> networks = List.of();
  private String workingDir;
  private String user;

  private ServiceDraft(String name) {
    this.name = name;
  }

  static ServiceDraft named(String name) {
    return new ServiceDraft(name);
  }

  ServiceDraft image(String value) {
    image = value;
    return this;
  }

  ServiceDraft command(List<String> value) {
    command = value;
    return this;
  }

  ServiceDraft command(String... value) {
    return command(List.of(value));
  }

  ServiceDraft entrypoint(String... value) {
    entrypoint = List.of(value);
    return this;
  }

  ServiceDraft environment(String key, String value) {
    environment.put(key, value);
    return this;
  }

  ServiceDraft ports(String... value) {
    ports = List.of(value);
    return this;
  }

  ServiceDraft volumes(String... value) {
    volumes = List.of(value);
    return this;
  }

  ServiceDraft dependsOn(String service, String condition) {
    dependsOn.put(service, condition);
    return this;
  }

  ServiceDraft healthcheck(Healthcheck value) {
    healthcheck = value;
    return this;
  }

  ServiceDraft label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  ServiceDraft restart(String value) {
    restart = value;
    return this;
  }

  ServiceDraft networks(String... value) {
    networks = List.of(value);
    return this;
  }

  ServiceDraft workingDir(String value) {
    workingDir = value;
    return this;
  }

  ServiceDraft user(String value) {
    user = value;
    return this;
  }

  ComposeService build() {
    return new ComposeService(
        name,
        image,
        command,
        entrypoint,
        new LinkedHashMap<>(environment),
        ports,
        volumes,
        new LinkedHashMap<>(dependsOn),
        healthcheck,
        new LinkedHashMap<>(labels),
        restart,
        networks,
        workingDir,
        user);
  }
}
