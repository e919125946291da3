package dev.silo.workflows.docker;

import java.util.List;

/**
 * @param project the Compose project
 * @param containers its containers, running or not
 */
public record ProjectContainers(String project, List<ContainerState> containers) {

  public ProjectContainers {
    containers = containers == null ? List.of() : List.copyOf(containers);
  }
}
