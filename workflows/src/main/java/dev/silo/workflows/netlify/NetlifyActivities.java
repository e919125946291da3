package dev.silo.workflows.netlify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Netlify branch deploys for the worker's site ({@code NETLIFY_SITE_ID}; the token, {@code
 * NETLIFY_AUTH_TOKEN}, lives in the worker only). The runbook allows this configuration ONCE per
 * silo: a branch already configured is never reconfigured. The build is another matter: a silo is
 * live only once a ready deploy of its branch exists, so {@link #buildBranch} runs on every
 * deployment, and builds only when no deploy of the branch is ready or on its way.
 */
@ActivityInterface
public interface NetlifyActivities {

  /**
   * Reads the site's ID and name, so that the names a silo derives from it can be checked before
   * anything is created. Read-only, hence idempotent: a retry reads the site again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 408/429, such as a site that does not exist; {@code VENDOR_UNAVAILABLE}
   *     (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  NetlifySite describeSite(DescribeSiteRequest request);

  /**
   * Reads the site; when the branch is already allowed and its branch-context variables are set,
   * changes nothing and says so. Otherwise adds the branch to {@code allowed_branches} (keeping
   * every branch already there) and sets the variables for context {@code branch} with {@code
   * context_parameter} = the branch. Idempotent by construction.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 408/429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  NetlifyBranchConfig configureBranchDeploy(ConfigureBranchDeployRequest request);

  /**
   * Triggers a build of the branch. Idempotent: a build already triggered with the same key is
   * returned instead of a new one. Runs started before {@link #buildBranch} existed call it, and
   * replay it; new runs call {@link #buildBranch}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED}; {@code
   *     VENDOR_UNAVAILABLE} (retried)
   */
  @ActivityMethod
  NetlifyBuild triggerBuild(TriggerBuildRequest request);

  /**
   * Polls the deploy, heartbeating, until it is {@code ready}. Read-only, hence idempotent: a retry
   * polls the same deploy again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code DEPLOY_FAILED} (not retried) when the
   *     deploy ends without being published ({@code error}, {@code rejected}, {@code canceled},
   *     {@code cancelled} or {@code skipped}), naming the state, with Netlify's error message if any;
   *     {@code VENDOR_REJECTED} (not retried) for a 4xx other than 408/429; {@code
   *     VENDOR_UNAVAILABLE} (retried) otherwise
   */
  @ActivityMethod
  NetlifyDeploy awaitDeploy(AwaitDeployRequest request);

  /**
   * Makes sure a deploy of the branch is ready or on its way, without touching the configuration.
   * Reads the branch's deploys first. A deploy titled with this request's idempotency key is
   * returned whatever its state, even ended {@code error}: an earlier attempt of this call triggered
   * it. Otherwise a {@code ready} deploy, or else one still in progress, is returned as it is; only
   * when there is none of these is a build triggered, titled with the idempotency key.
   *
   * <p>Idempotent: a retry (same key) triggers nothing when an earlier attempt triggered a build,
   * and returns that build's deploy, so a build that failed is reported by {@link #awaitDeploy}
   * rather than hidden behind a second one. A later run (another key) does not reuse a deploy that
   * ended without being published ({@code error}, {@code rejected}, {@code canceled}, {@code
   * skipped}): it triggers a new build.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 408/429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  BranchBuild buildBranch(BuildBranchRequest request);

  /**
   * Reads whether the branch is allowed on the worker's site and the branch-context values of the
   * variables asked about, for the drift check. Read-only, hence idempotent: a retry reads again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 408/429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  NetlifyBranchState inspectBranch(InspectBranchRequest request);

  /**
   * Removes the branch deploy of a silo branch, for a teardown asked to ({@code silo destroy
   * --netlify}): takes the branch out of the site's {@code allowed_branches} (keeping every other
   * branch) and deletes the variables' values for context {@code branch} with this branch as
   * parameter, leaving their values for other contexts and branches. Only a silo branch ({@code
   * silo/...}) is accepted, so that the production branch is never taken out.
   *
   * <p>Idempotent: what is already absent counts as done, so a retry, or a second call, changes
   * nothing and says so.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_REQUEST} (not retried) for a branch
   *     other than a silo branch; {@code VENDOR_REJECTED} (not retried) for a 4xx other than
   *     408/429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  NetlifyBranchRemoved removeBranchDeploy(RemoveBranchDeployRequest request);
}
