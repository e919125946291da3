package dev.silo.workflows.git;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Silo branches on the worker's Git remote ({@code SILO_GIT_REMOTE}; credentials from the worker's
 * environment, never from arguments).
 */
@ActivityInterface
public interface GitActivities {

  /**
   * Reads where a branch and its base point on the remote. Read-only, hence idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_FOUND} (not retryable) when the base
   *     branch does not exist on the remote; I/O failures are retried
   */
  @ActivityMethod
  BranchStatus getBranchStatus(BranchRequest request);

  /**
   * Points the branch at the base branch's commit on the remote. Idempotent: a branch already at
   * that commit is success with {@link BranchOutcome#ALREADY_AT_COMMIT}. A branch at another commit
   * is overwritten only when {@code force} is set, and then only if it still points at {@code
   * expectedCommit} (a lease, so a push made since the decision is never lost).
   *
   * @throws io.temporal.failure.ApplicationFailure {@code FORBIDDEN} when the branch is the base
   *     branch, {@code main}, or outside {@code silo/}; {@code CONFLICT} when the branch exists at
   *     another commit and {@code force} is not set or the lease no longer holds; {@code NOT_FOUND}
   *     when the base branch is missing. All three are not retryable; I/O failures are.
   */
  @ActivityMethod
  BranchResult pushBranch(PushBranchRequest request);

  /**
   * Deletes a silo branch on the remote (teardown). Idempotent: an absent branch is success with
   * {@link BranchOutcome#ABSENT}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code FORBIDDEN} for the base branch, {@code
   *     main} or a branch outside {@code silo/}
   */
  @ActivityMethod
  BranchResult deleteBranch(BranchRequest request);

  /**
   * Reads where the branch points on the remote and whether the recorded commit is still in its
   * history, for the drift check. Read-only on the remote (it fetches into the worker's cache),
   * hence idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a
   *     branch name that is not a valid ref; I/O failures are retried
   */
  @ActivityMethod
  BranchPosition branchPosition(BranchPositionRequest request);
}
