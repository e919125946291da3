package dev.silo.workflows.silo;

import dev.silo.workflows.signing.StartSignature;

/**
 * What to tear down and under which rules ({@code silo destroy}).
 *
 * @param client the client
 * @param app the app
 * @param requester who asked for the teardown
 * @param approval who may approve and how long the run waits, as for a deployment; null means
 *     {@link ApprovalPolicy#defaults()}
 * @param deleteBranch whether the Git branch {@code silo/{client}-{app}} goes too; by default it is
 *     kept, since it holds the developers' work
 * @param dockerTaskQueue the task queue of the worker beside the silo's container engine; null means
 *     {@link dev.silo.workflows.TaskQueues#DOCKER}
 * @param skipContainers true when no container engine serves this silo: its containers are neither
 *     listed nor removed, and the plan says so
 * @param netlify whether the branch deploy of {@code silo/{client}-{app}} and its 4 branch-context
 *     variables are removed from the Netlify site too; by default Netlify is left untouched
 * @param start the requester's signature over {@link #signedText()}; null when unsigned, which a
 *     worker with an allowed-signers file refuses
 */
public record SiloTeardownRequest(
    String client,
    String app,
    String requester,
    ApprovalPolicy approval,
    boolean deleteBranch,
    String dockerTaskQueue,
    boolean skipContainers,
    boolean netlify,
    StartSignature start) {

  public SiloTeardownRequest {
    approval = approval == null ? ApprovalPolicy.defaults() : approval;
    dockerTaskQueue = dockerTaskQueue == null || dockerTaskQueue.isBlank() ? null : dockerTaskQueue;
  }

  /** An unsigned request. */
  public SiloTeardownRequest(String client, String app, String requester, ApprovalPolicy approval,
      boolean deleteBranch) {
    this(client, app, requester, approval, deleteBranch, null, false, false, null);
  }

  /** The same request, signed. */
  public SiloTeardownRequest signed(StartSignature signature) {
    return new SiloTeardownRequest(client, app, requester, approval, deleteBranch, dockerTaskQueue, skipContainers,
        netlify, signature);
  }

  /** The request's fields as the requester signs them, one per line, the signature left out. */
  public String signedText() {
    return "action=destroy\n"
        + "client=" + client + "\n"
        + "app=" + app + "\n"
        + "requester=" + requester + "\n"
        + "approvers=" + String.join(",", approval.approvers()) + "\n"
        + "allow-self-approval=" + approval.allowSelfApproval() + "\n"
        + "approval-timeout=" + approval.timeout() + "\n"
        + "delete-branch=" + deleteBranch + "\n"
        + "docker-task-queue=" + dockerTaskQueue + "\n"
        + "skip-containers=" + skipContainers + "\n"
        + "netlify=" + netlify + "\n";
  }

  /** The names derived from client and app. */
  public SiloNames names() {
    return new SiloNames(client, app);
  }
}
