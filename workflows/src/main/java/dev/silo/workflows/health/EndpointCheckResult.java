package dev.silo.workflows.health;

/**
 * How a health check ended.
 *
 * @param passed whether an attempt got the expected status within the window
 * @param lastStatus the status of the last attempt, or 0 when it got no response (a timeout, a
 *     refused connection)
 * @param attempts how many requests were made
 * @param message what happened, for the report: the status or error of the last attempt
 */
public record EndpointCheckResult(boolean passed, int lastStatus, int attempts, String message) {}
