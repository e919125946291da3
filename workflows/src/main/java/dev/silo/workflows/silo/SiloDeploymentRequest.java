package dev.silo.workflows.silo;

import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.signing.StartSignature;

/**
 * What to deploy and under which rules.
 *
 * @param client the client, lowercase letters and digits (no hyphen: see {@link SiloNames#collision})
 * @param app the app, lowercase letters, digits and single hyphens
 * @param requester who asked for the deployment
 * @param configRoot deprecated, kept so that recorded requests still read: null in new requests, and
 *     the worker finds the silo under its own {@code SILO_CONFIG_ROOT}. A request that names a
 *     directory that is not one of the worker's config roots is refused at VALIDATE.
 * @param approval who may approve and how long the run waits; null means {@link
 *     ApprovalPolicy#defaults()}
 * @param dockerTaskQueue the task queue of the worker beside the silo's container engine; null (or
 *     blank) means not given: the queue the silo's config names in {@code silo.yml}, else {@link
 *     TaskQueues#DOCKER}. See {@link DockerTaskQueue#resolve}.
 * @param skipContainers true when no container engine serves this deployment: step 2 then reports
 *     every container as skipped instead of waiting for a worker beside an engine
 * @param start the requester's signature over {@link #signedText()}; null when unsigned, which a
 *     worker with an allowed-signers file refuses. The requester of a signed start is the principal
 *     of its key, whatever {@code requester} says.
 */
public record SiloDeploymentRequest(
    String client,
    String app,
    String requester,
    String configRoot,
    ApprovalPolicy approval,
    String dockerTaskQueue,
    boolean skipContainers,
    StartSignature start,
    OnFailure onFailure) {

  public SiloDeploymentRequest {
    approval = approval == null ? ApprovalPolicy.defaults() : approval;
    // Requests recorded before guided failure existed have none: they end at a failed step.
    onFailure = onFailure == null ? OnFailure.ABORT : onFailure;
    // Null, not the default, so that the workflow can tell "not given" from an explicit choice,
    // which wins over the queue the silo's config names.
    dockerTaskQueue = dockerTaskQueue == null || dockerTaskQueue.isBlank() ? null : dockerTaskQueue;
  }

  /** A request that ends at a failed step ({@link OnFailure#ABORT}). */
  public SiloDeploymentRequest(String client, String app, String requester, String configRoot,
      ApprovalPolicy approval, String dockerTaskQueue, boolean skipContainers, StartSignature start) {
    this(client, app, requester, configRoot, approval, dockerTaskQueue, skipContainers, start, OnFailure.ABORT);
  }

  /** An unsigned request. */
  public SiloDeploymentRequest(String client, String app, String requester, String configRoot,
      ApprovalPolicy approval, String dockerTaskQueue, boolean skipContainers) {
    this(client, app, requester, configRoot, approval, dockerTaskQueue, skipContainers, null);
  }

  /** The same request, signed. */
  public SiloDeploymentRequest signed(StartSignature signature) {
    return new SiloDeploymentRequest(client, app, requester, configRoot, approval, dockerTaskQueue, skipContainers,
        signature, onFailure);
  }

  /** The same request, with what the run does when a step fails after its retries. */
  public SiloDeploymentRequest withOnFailure(OnFailure choice) {
    return new SiloDeploymentRequest(client, app, requester, configRoot, approval, dockerTaskQueue, skipContainers,
        start, choice);
  }

  /**
   * The request's fields as the requester signs them ({@link
   * dev.silo.workflows.signing.DecisionText#start}), one per line, the signature left out. The
   * on-failure line is there only for guided failure, so a request that ends at a failed step signs
   * the same text as before the option existed.
   */
  public String signedText() {
    return "client=" + client + "\n"
        + "app=" + app + "\n"
        + "requester=" + requester + "\n"
        + "config-root=" + configRoot + "\n"
        + "approvers=" + String.join(",", approval.approvers()) + "\n"
        + "allow-self-approval=" + approval.allowSelfApproval() + "\n"
        + "approval-timeout=" + approval.timeout() + "\n"
        + "docker-task-queue=" + dockerTaskQueue + "\n"
        + "skip-containers=" + skipContainers + "\n"
        + (onFailure == OnFailure.ASK ? "on-failure=ask\n" : "");
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
