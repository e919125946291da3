package dev.silo.workflows.silo;

/**
 * A step that failed after its retries and waits, under guided failure ({@link OnFailure#ASK}), for
 * a person to retry it, skip it or abort the run.
 *
 * @param step the step that failed
 * @param failureType the failure's type: the activity's {@code ApplicationFailure} type, {@code
 *     TIMEOUT}, or {@code STEP_FAILED} when the step judged its own results (containers that failed)
 * @param message what went wrong
 * @param skippable whether {@code skipStep} is allowed: only for the containers, which the runbook
 *     skips and goes on without
 * @param attempt how many times the step has run in this deployment, the failed one included
 */
public record FailedStep(StepName step, String failureType, String message, boolean skippable, int attempt) {}
