package dev.silo.workflows.docker;

/** Where a container ended up. */
public enum ContainerHealth {
  /** Running and its healthcheck passed. */
  HEALTHY,
  /** Running; the service declares no healthcheck. */
  RUNNING,
  /** Running but its healthcheck kept failing. */
  UNHEALTHY,
  /** It could not be created or started, or it exited. */
  FAILED,
  /** Not attempted because a service it depends on failed. */
  SKIPPED;

  /** Whether the service counts as up for the report and for its dependants. */
  public boolean isUp() {
    return this == HEALTHY || this == RUNNING;
  }
}
