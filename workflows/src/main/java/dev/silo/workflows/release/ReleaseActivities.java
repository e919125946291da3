package dev.silo.workflows.release;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The release project's definition at a version, and the worker's ledger of versions rolled back.
 */
@ActivityInterface
public interface ReleaseActivities {

  /**
   * Checks the version out of the project's repository (the worker's {@code
   * SILO_RELEASE_REPOSITORY} with {@code {project}} replaced), loads {@code pipeline.yml} and
   * {@code environments/}, and reads every file a step names: the migrations of each {@code
   * migrate} step's directory and the file of each {@code sql} step. The approval rules of each
   * environment are not the version's own but protected ones ({@link ApprovalRulesSource}): from the
   * worker's {@code SILO_RELEASE_PROTECTION} file, otherwise from the repository's default branch as
   * it is now. Read-only, hence idempotent; a retry reads the default branch and the protection file
   * again.
   *
   * @throws io.temporal.failure.ApplicationFailure not retried: {@code INVALID_CONFIG} listing every
   *     problem of the definition as {@code file:line: message} (a file a step names that does not
   *     exist among them), or of the protection file, or of the approval keys on the default branch;
   *     {@code NOT_FOUND} when the version is not a tag, branch or commit of the
   *     repository or the repository does not exist; {@code INVALID_REQUEST} for a malformed
   *     project or version; {@code VENDOR_REJECTED} when the Git server refuses the worker's
   *     credentials. Retried: {@code VENDOR_UNAVAILABLE} when it cannot be reached, and local I/O.
   */
  @ActivityMethod
  PreparedRelease prepare(PrepareReleaseRequest request);

  /**
   * Records that a version was rolled back, so that automatic deployments never apply it again.
   * Idempotent: marking a version already marked keeps the first mark and returns it.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a
   *     malformed project or version; local I/O errors are retried
   */
  @ActivityMethod
  BadVersion markVersionBad(MarkVersionBadRequest request);

  /**
   * Looks the version up in the ledger. Read-only.
   *
   * @return the mark, or a {@link BadVersion} with {@code bad} false when the version is not marked
   * @throws io.temporal.failure.ApplicationFailure as {@link #markVersionBad}
   */
  @ActivityMethod
  BadVersion findBadVersion(FindBadVersionRequest request);

  /**
   * Tells which of the named environment variables the worker does not have (unset or blank), so
   * that a deployment learns of a missing password or webhook before it changes anything rather
   * than during its rollback. Reads the worker's environment only, hence idempotent; only names
   * are returned, never a value.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) when no
   *     list of names is given or a name in it is null
   */
  @ActivityMethod
  VariablesCheck checkVariables(CheckVariablesRequest request);

  /**
   * The version last deployed successfully to the environment by a deployment other than the one
   * asking, from the ledger in the worker's state directory. Read-only.
   *
   * @return the deployment, or {@link PreviousDeployment#none()} when the ledger has none
   * @throws io.temporal.failure.ApplicationFailure as {@link #markVersionBad}
   */
  @ActivityMethod
  PreviousDeployment findPreviousDeployment(FindPreviousDeploymentRequest request);

  /**
   * Records a successful deployment in the ledger. Idempotent: recording the same workflow ID
   * again keeps the first record (and its time) and returns it.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #markVersionBad}
   */
  @ActivityMethod
  PreviousDeployment recordDeployment(RecordDeploymentRequest request);

  /**
   * The environments where the version, at the commit, was deployed successfully, from the same
   * ledger as {@link #findPreviousDeployment}, so that a promotion started again resumes after them.
   * Read-only.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #markVersionBad}
   */
  @ActivityMethod
  VersionDeployments findVersionDeployments(FindVersionDeploymentsRequest request);
}
