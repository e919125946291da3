package dev.silo.workflows.silo;

import dev.silo.workflows.TaskQueues;

/**
 * What to deploy and under which rules.
 *
 * @param client the client, lowercase letters, digits and hyphens
 * @param app the app, same rules
 * @param requester who asked for the deployment
 * @param configRoot the config root on the worker; null means the worker's {@code SILO_CONFIG_ROOT}
 * @param approval who may approve and how long the run waits; null means {@link
 *     ApprovalPolicy#defaults()}
 * @param dockerTaskQueue the task queue of the worker beside the silo's container engine; null (or
 *     blank) means not given: the queue the silo's config names in {@code silo.yml}, else {@link
 *     TaskQueues#DOCKER}. See {@link DockerTaskQueue#resolve}.
 * @param skipContainers true when no container engine serves this deployment: step 2 then reports
 *     every container as skipped instead of waiting for a worker beside an engine
 */
public record SiloDeploymentRequest(
    String client,
    String app,
    String requester,
    String configRoot,
    ApprovalPolicy approval,
    String dockerTaskQueue,
    boolean skipContainers) {

  public SiloDeploymentRequest {
    approval = approval == null ? ApprovalPolicy.defaults() : approval;
    // Null, not the default, so that the workflow can tell "not given" from an explicit choice,
    // which wins over the queue the silo's config names.
    dockerTaskQueue = dockerTaskQueue == null || dockerTaskQueue.isBlank() ? null : dockerTaskQueue;
  }

  /** A request whose containers run on the engine behind {@code dockerTaskQueue}, when given. */
  public SiloDeploymentRequest(String client, String app, String requester, String configRoot,
      ApprovalPolicy approval, String dockerTaskQueue) {
    this(client, app, requester, configRoot, approval, dockerTaskQueue, false);
  }

  /** The names derived from client and app. */
  public SiloNames names() {
    return new SiloNames(client, app);
  }
}
