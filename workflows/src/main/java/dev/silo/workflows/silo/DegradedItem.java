package dev.silo.workflows.silo;

/**
 * Something the deployment went on without.
 *
 * @param step the step
 * @param item what (a Compose service)
 * @param reason why
 */
public record DegradedItem(StepName step, String item, String reason) {}
