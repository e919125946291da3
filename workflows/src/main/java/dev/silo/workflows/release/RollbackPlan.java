package dev.silo.workflows.release;

import java.util.List;

/**
 * When a deployment is rolled back and how.
 *
 * @param triggers the conditions of the watch window that start the rollback
 * @param steps the steps run, in order, once a trigger fires or a stage fails
 */
public record RollbackPlan(List<RollbackTrigger> triggers, List<PipelineStep> steps) {}
