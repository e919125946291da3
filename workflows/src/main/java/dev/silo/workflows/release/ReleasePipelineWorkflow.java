package dev.silo.workflows.release;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Promotes a version through the environments, dev → staging → uat → prod, up to a target: one
 * child {@link EnvironmentDeploymentWorkflow} per environment, in order, the next one only when the
 * previous one succeeded. The report holds each child's report.
 *
 * <p>Workflow ID {@link #workflowId(String, String)}: one promotion of a version at a time. The run
 * completes with the report when every environment up to the target succeeded (or, for an
 * automatic run, when it had nothing to do); otherwise it fails with an {@code ApplicationFailure}
 * of type {@code RELEASE_FAILED} whose details hold the same report.
 */
@WorkflowInterface
public interface ReleasePipelineWorkflow {

  /** The workflow ID of a version's promotion. */
  static String workflowId(String project, String version) {
    return "release-" + project + "-" + version;
  }

  @WorkflowMethod
  ReleaseReport release(ReleaseRequest request);

  /** The environments with their state, the child workflow of each, and the report at the end. */
  @QueryMethod
  ReleaseProgress progress();
}
