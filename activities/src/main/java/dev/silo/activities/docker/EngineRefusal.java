package dev.silo.activities.docker;

/**
 * The engine answered, and refused something a service asked for: its image cannot be pulled, its
 * container cannot be created or started. That is the service's failure, reported in its {@link
 * dev.silo.workflows.docker.ContainerResult}, not an activity failure; an engine that cannot be
 * reached is an {@link io.temporal.failure.ApplicationFailure} instead.
 */
final class EngineRefusal extends Exception {

  EngineRefusal(String message) {
    super(message);
  }
}
