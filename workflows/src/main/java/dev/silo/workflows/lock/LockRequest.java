package dev.silo.workflows.lock;

/**
 * A deployment asking for an environment.
 *
 * @param workflowId the requesting workflow, which receives {@link EnvironmentLockWorkflow#GRANTED}
 * @param version the version it deploys, for {@code status}
 * @param requester who started it, for {@code status}
 * @param requestedAt when it asked, ISO-8601, by the requester's workflow clock
 */
public record LockRequest(String workflowId, String version, String requester, String requestedAt) {}
