package dev.silo.workflows.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's pipeline file: the stages every environment runs, in the order of the fields, and the
 * rollback. A stage not written in the file is empty.
 *
 * @param project the project the pipeline belongs to
 * @param preFlight the checks run before anything changes ({@code pre_flight})
 * @param schemaDeploy backup, migrations and schema checks ({@code schema_deploy})
 * @param functionDeploy functions and stored procedures ({@code function_deploy})
 * @param rlsDeploy RLS policies and the per-role tests ({@code rls_deploy})
 * @param healthChecks the checks after the deployment ({@code health_checks})
 * @param rollback when to roll back and how
 */
public record ReleasePipeline(
    String project,
    List<PipelineStep> preFlight,
    List<PipelineStep> schemaDeploy,
    List<PipelineStep> functionDeploy,
    List<PipelineStep> rlsDeploy,
    List<PipelineStep> healthChecks,
    RollbackPlan rollback) {

  /**
   * Every stage's steps, in the order they run: {@code pre_flight}, {@code schema_deploy}, {@code
   * function_deploy}, {@code rls_deploy}, {@code health_checks}, then the {@code rollback} steps.
   */
  public Map<Stage, List<PipelineStep>> stages() {
    Map<Stage, List<PipelineStep>> stages = new LinkedHashMap<>();
    for (Stage stage : List.of(Stage.PRE_FLIGHT, Stage.SCHEMA_DEPLOY, Stage.FUNCTION_DEPLOY, Stage.RLS_DEPLOY,
        Stage.HEALTH_CHECKS, Stage.ROLLBACK)) {
      stages.put(stage, steps(stage));
    }
    return stages;
  }

  /** The steps the pipeline file writes under a stage; none for a stage the file has no list for. */
  public List<PipelineStep> steps(Stage stage) {
    return switch (stage) {
      case PRE_FLIGHT -> preFlight;
      case SCHEMA_DEPLOY -> schemaDeploy;
      case FUNCTION_DEPLOY -> functionDeploy;
      case RLS_DEPLOY -> rlsDeploy;
      case HEALTH_CHECKS -> healthChecks;
      case ROLLBACK -> rollback.steps();
      case QUEUE, APPROVAL, WATCH -> List.of();
    };
  }
}
