package dev.silo.workflows.docker;

import java.util.List;

/**
 * @param project the Compose project
 * @param containers every container carrying the project's label, in the order they were created
 */
public record ContainersPowered(String project, List<ContainerPower> containers) {

  public ContainersPowered {
    containers = containers == null ? List.of() : List.copyOf(containers);
  }
}
