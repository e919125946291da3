package dev.silo.workflows.command;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Shell commands of a release pipeline, run on the worker in a checkout of the version. */
@ActivityInterface
public interface CommandActivities {

  /**
   * Checks out {@code version} of the repository into the workspace (a clone reused across runs:
   * fetched, hard-reset to the ref's commit and cleaned of every untracked and ignored file), then
   * runs {@code bash -c command} there with the timeout, heartbeating while it runs. One run at a
   * time holds a workspace; others wait for it, heartbeating.
   *
   * <p>Not idempotent: a retry runs the command again, in a checkout reset to exactly the same
   * commit, so only what the command itself does outside the workspace can differ. A cancellation
   * or a missed heartbeat kills the command and everything it started.
   *
   * @return the exit code, duration and output tail; a non-zero exit code or a timeout is a
   *     result, never a failure
   * @throws io.temporal.failure.ApplicationFailure not retried: {@code NOT_FOUND} when the version
   *     is not a tag, branch or commit of the repository, when the repository does not exist, or
   *     when {@code bash} is not on the worker's {@code PATH}; {@code INVALID_REQUEST} for a
   *     malformed request; {@code INVALID_CONFIG} when a variable to pass through is not set on the
   *     worker; {@code VENDOR_REJECTED} when the Git server refuses the worker's credentials.
   *     Retried: {@code VENDOR_UNAVAILABLE} when the Git server cannot be reached, and local I/O
   *     errors.
   */
  @ActivityMethod
  CommandResult runCommand(RunCommandRequest request);
}
