package dev.silo.workflows.docker;

import java.util.List;

/**
 * What a Compose project holds on the engine, found by its project label.
 *
 * @param containers the containers' names
 * @param networks the networks' names
 * @param volumes the named volumes' names
 */
public record ProjectResources(List<String> containers, List<String> networks, List<String> volumes) {

  public ProjectResources {
    containers = containers == null ? List.of() : List.copyOf(containers);
    networks = networks == null ? List.of() : List.copyOf(networks);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
  }
}
