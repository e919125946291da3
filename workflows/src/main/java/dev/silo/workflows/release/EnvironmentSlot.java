package dev.silo.workflows.release;

/**
 * One environment of a promotion.
 *
 * @param environment the environment
 * @param workflowId the child deployment's workflow ID (it exists once started)
 * @param status {@link EnvironmentStatus#PENDING} until the child starts, {@link
 *     EnvironmentStatus#RUNNING} while it runs (its own {@code progress} tells more), then how it
 *     ended; {@link EnvironmentStatus#ALREADY_DEPLOYED} when an earlier promotion did it
 * @param earlier the earlier deployment, when the status is {@link
 *     EnvironmentStatus#ALREADY_DEPLOYED}; null otherwise
 */
public record EnvironmentSlot(String environment, String workflowId, EnvironmentStatus status,
    EarlierDeployment earlier) {

  /** A slot that no earlier promotion did. */
  public EnvironmentSlot(String environment, String workflowId, EnvironmentStatus status) {
    this(environment, workflowId, status, null);
  }
}
