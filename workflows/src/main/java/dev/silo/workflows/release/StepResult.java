package dev.silo.workflows.release;

/**
 * One step as the report shows it.
 *
 * @param stage the stage: pre-flight, one of the deploy stages, the health checks, the watch window
 *     or the rollback
 * @param name the step's name
 * @param kind the step's kind, as written in the pipeline file
 * @param outcome how it ended
 * @param durationMillis how long it took, by the workflow's clock
 * @param detail what happened: the exit code and output tail, the status, the rows, the error
 */
public record StepResult(
    Stage stage, String name, String kind, StepOutcome outcome, long durationMillis, String detail) {}
