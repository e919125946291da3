package dev.silo.starter.release;

import dev.silo.starter.command.CliException;
import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.ReleaseNaming;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The project, version and environment a release command names, checked before anything reaches
 * the server, and the workflow IDs they lead to.
 */
final class ReleaseNames {

  private ReleaseNames() {}

  /**
   * Fails with exit code 2 listing every problem on one line; a null argument is one the command
   * does not take.
   */
  static void check(String project, String version, String environment) {
    List<String> problems = new ArrayList<>();
    if (project != null) {
      add(problems, ReleaseNaming.projectProblem(project));
    }
    if (version != null) {
      add(problems, ReleaseNaming.versionProblem(version));
    }
    if (environment != null) {
      add(problems, ReleaseNaming.environmentProblem(environment));
    }
    if (!problems.isEmpty()) {
      throw CliException.badInput(String.join("; ", problems));
    }
  }

  private static void add(List<String> problems, String problem) {
    if (problem != null) {
      problems.add(problem);
    }
  }

  /** {@code dev, staging, uat, prod}. */
  static String environments() {
    return String.join(", ", EnvironmentDefinition.PROMOTION_ORDER);
  }

  /** The promotion of a version. */
  static String releaseWorkflowId(String project, String version) {
    return ReleasePipelineWorkflow.workflowId(project, version);
  }

  /** The promotion's deployment to one environment. */
  static String deploymentWorkflowId(String project, String version, String environment) {
    return EnvironmentDeploymentWorkflow.workflowId(releaseWorkflowId(project, version), environment);
  }

  /** The queue of the project's deployments to one environment. */
  static String lockWorkflowId(String project, String environment) {
    return EnvironmentLockWorkflow.workflowId(project, environment);
  }
}
