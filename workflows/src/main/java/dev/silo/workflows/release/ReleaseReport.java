package dev.silo.workflows.release;

import java.util.List;

/**
 * How a promotion ended.
 *
 * @param project the project
 * @param version the version
 * @param target the last environment asked for
 * @param requester who asked
 * @param automatic whether an automation asked
 * @param commit the commit the version resolved to; null when it could not be prepared
 * @param status how it ended
 * @param reason why it did not succeed, one line; null when it did
 * @param environments the report of each environment that started, in order
 * @param notRun the environments up to the target that were not started
 * @param alreadyDeployed the environments an earlier promotion of the same version deployed, which
 *     this one resumed after, in order; null in reports of promotions that did not resume
 */
public record ReleaseReport(
    String project,
    String version,
    String target,
    String requester,
    boolean automatic,
    String commit,
    ReleaseStatus status,
    String reason,
    List<EnvironmentReport> environments,
    List<String> notRun,
    List<EarlierDeployment> alreadyDeployed) {

  /** A report of a promotion that resumed after no environment. */
  public ReleaseReport(String project, String version, String target, String requester, boolean automatic,
      String commit, ReleaseStatus status, String reason, List<EnvironmentReport> environments, List<String> notRun) {
    this(project, version, target, requester, automatic, commit, status, reason, environments, notRun, null);
  }
}
