package dev.silo.workflows.release;

/**
 * One step as the report shows it.
 *
 * @param stage the stage: {@code pre_flight}, {@code schema_deploy}, {@code function_deploy},
 *     {@code rls_deploy}, {@code health_checks}, {@code watch} or {@code rollback}
 * @param name the step's name
 * @param kind the step's kind, as written in the pipeline file
 * @param outcome how it ended
 * @param durationMillis how long it took, by the workflow's clock
 * @param detail what happened: the exit code and output tail, the status, the rows, the error
 */
public record StepResult(
    String stage, String name, String kind, StepOutcome outcome, long durationMillis, String detail) {}
