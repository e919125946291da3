package dev.silo.workflows.release;

/**
 * One environment of a promotion.
 *
 * @param environment the environment
 * @param workflowId the child deployment's workflow ID (it exists once started)
 * @param status {@link EnvironmentStatus#PENDING} until the child starts, {@link
 *     EnvironmentStatus#RUNNING} while it runs (its own {@code progress} tells more), then how it
 *     ended
 */
public record EnvironmentSlot(String environment, String workflowId, EnvironmentStatus status) {}
