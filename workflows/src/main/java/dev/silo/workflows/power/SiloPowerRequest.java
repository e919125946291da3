package dev.silo.workflows.power;

import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.signing.StartSignature;
import dev.silo.workflows.silo.DockerTaskQueue;
import dev.silo.workflows.silo.SiloNames;

/**
 * A silo to stop or start.
 *
 * @param client the client
 * @param app the app
 * @param action stop or start
 * @param requester who asked; the principal of the signing key replaces it when the start is signed
 * @param dockerTaskQueue the task queue of the worker beside the silo's container engine; null means
 *     the one the silo's {@code silo.yml} names, else {@link TaskQueues#DOCKER} (as {@link
 *     DockerTaskQueue#resolve} picks it for a deployment)
 * @param skipContainers true when no container engine serves the silo: its containers are left
 *     alone and the audit says so
 * @param start the requester's signature over {@link #signedText()}; null when unsigned, which a
 *     worker with an allowed-signers file refuses
 */
public record SiloPowerRequest(String client, String app, PowerAction action, String requester,
    String dockerTaskQueue, boolean skipContainers, StartSignature start) {

  public SiloPowerRequest {
    dockerTaskQueue = dockerTaskQueue == null || dockerTaskQueue.isBlank() ? null : dockerTaskQueue;
  }

  /** An unsigned request. */
  public SiloPowerRequest(String client, String app, PowerAction action, String requester) {
    this(client, app, action, requester, null, false, null);
  }

  /** The same request, signed. */
  public SiloPowerRequest signed(StartSignature signature) {
    return new SiloPowerRequest(client, app, action, requester, dockerTaskQueue, skipContainers, signature);
  }

  /** The request's fields as the requester signs them, one per line, the signature left out. */
  public String signedText() {
    return "client=" + client + "\n"
        + "app=" + app + "\n"
        + "action=" + action + "\n"
        + "requester=" + requester + "\n"
        + "docker-task-queue=" + dockerTaskQueue + "\n"
        + "skip-containers=" + skipContainers + "\n";
  }

  public SiloNames names() {
    return new SiloNames(client, app);
  }
}
