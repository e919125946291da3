package dev.silo.workflows;

/** The task queues workers poll. Names are part of the deployment interface: change them with care. */
public final class TaskQueues {

  /** Workflows and every activity that does not need to run next to a container engine. */
  public static final String SILO = "silo-deployer";

  /**
   * Docker activities. They run on their own queue so that a worker placed beside the engine that
   * hosts a silo serves them; a request may name another queue for another engine host.
   */
  public static final String DOCKER = "silo-docker";

  private TaskQueues() {}
}
