package dev.silo.workflows.fly;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Fly.io: the GraphQL API for organizations and the Machines API for apps and machines. The token
 * ({@code FLY_API_TOKEN}) lives in the worker only.
 */
@ActivityInterface
public interface FlyActivities {

  /**
   * Ensures the organization exists ({@code createOrganization}), looking it up first. Idempotent:
   * an existing organization is returned with {@code created = false}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 408/429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  FlyOrganization ensureOrganization(EnsureOrganizationRequest request);

  /**
   * Tells which of the apps exist, in any organization. Read-only, hence idempotent: a retry looks
   * again. The silo deployment calls it once, before it creates anything, so that its result in the
   * history says which apps existed before the run, whatever a later create's retry finds.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 404, 408 and 429; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After)
   *     otherwise
   */
  @ActivityMethod
  FlyAppsFound findApps(FindFlyAppsRequest request);

  /**
   * Creates the app in the organization. Idempotent: an app of that name already in the same
   * organization is reused with {@code created = false}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} when the name is taken
   *     outside the organization or the request is refused; {@code VENDOR_UNAVAILABLE} (retried)
   */
  @ActivityMethod
  FlyApp createApp(CreateFlyAppRequest request);

  /**
   * Creates the app's machine from the machine config its {@code fly.toml} was mapped to when the
   * config was validated (as {@code flyctl deploy} maps it), with the request's secrets in its
   * environment (its secret references resolved from the worker's secret store), and waits, heartbeating, until it is started and its checks pass. Idempotent: a machine whose
   * metadata carries the same config hash is left alone.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code DEPLOY_FAILED} (not retried) when the
   *     machine fails or never gets healthy; {@code NOT_FOUND} (not retried) when a referenced
   *     secret is not in the worker's secret store; {@code INVALID_CONFIG} (not retried) for a spec of a run
   *     validated before machine configs were mapped at validation whose document does not map; {@code VENDOR_REJECTED}; {@code VENDOR_UNAVAILABLE}
   *     (retried)
   */
  @ActivityMethod
  FlyDeployment deployApp(DeployFlyAppRequest request);

  /**
   * The first half of {@link #deployApp}: creates or updates the app's machine the same way, and
   * returns as soon as Fly has accepted it, without waiting for it to start. Idempotent: a machine
   * whose metadata carries the same config hash is left alone (started when it was stopped), so a
   * retry after a lost reply answers the machine the first attempt made.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_FOUND} (not retried) when a
   *     referenced secret is not in the worker's secret store; {@code INVALID_CONFIG} (not retried)
   *     for a spec whose document does not map; {@code VENDOR_REJECTED}; {@code VENDOR_UNAVAILABLE}
   *     (retried)
   */
  @ActivityMethod
  FlyMachine submitMachine(DeployFlyAppRequest request);

  /**
   * The second half of {@link #deployApp}: waits until the submitted machine runs its config's
   * version and its checks pass. The wait holds no worker slot: the activity hands the machine to
   * the worker's watcher and returns, and the watcher completes it, heartbeating for it meanwhile.
   * Read-only, hence idempotent: a retry, on this worker or another, simply waits again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code DEPLOY_FAILED} (not retried) when the
   *     machine fails or never gets healthy; {@code VENDOR_REJECTED}; {@code VENDOR_UNAVAILABLE}
   *     (retried)
   */
  @ActivityMethod
  FlyDeployment awaitMachine(FlyMachine machine);

  /**
   * Destroys an app of the organization (the saga's compensation). Idempotent: an app already gone
   * is success with {@code alreadyGone = true}; an app of another organization is never touched.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_UNAVAILABLE} (retried)
   */
  @ActivityMethod
  FlyAppDestroyed destroyApp(DestroyFlyAppRequest request);

  /**
   * Stops every machine of the app ({@code POST .../machines/{id}/stop}) and waits, heartbeating,
   * until each is {@code stopped}; never destroys one. Idempotent: a machine already stopped counts
   * as stopped, with {@code changed = false}; an app Fly does not know is answered with {@code
   * found = false}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code FORBIDDEN} (not retried) when the app
   *     belongs to another organization; {@code DEPLOY_FAILED} (not retried) when a machine does
   *     not stop in time; {@code VENDOR_REJECTED}; {@code VENDOR_UNAVAILABLE} (retried)
   */
  @ActivityMethod
  FlyAppPowered stopMachines(PowerFlyAppRequest request);

  /**
   * Starts every stopped machine of the app ({@code POST .../machines/{id}/start}) and waits,
   * heartbeating, until each is {@code started}. Idempotent: a machine already started counts as
   * started, with {@code changed = false}; an app Fly does not know is answered with {@code found =
   * false}.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #stopMachines}
   */
  @ActivityMethod
  FlyAppPowered startMachines(PowerFlyAppRequest request);

  /**
   * Deletes the organization when it holds no app (GraphQL {@code deleteOrganization}); an
   * organization still holding apps is kept and the apps named. Idempotent: an organization already
   * gone is success with {@code alreadyGone = true}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) when Fly
   *     refuses the deletion; {@code VENDOR_UNAVAILABLE} (retried, after Retry-After) otherwise
   */
  @ActivityMethod
  FlyOrganizationDeleted deleteOrganizationIfEmpty(DeleteOrganizationRequest request);

  /**
   * Reads an app and its machines as they are now, for the drift check. Read-only, hence
   * idempotent: a retry reads again. An app that does not exist is an answer, not a failure.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code VENDOR_REJECTED} (not retried) for a 4xx
   *     other than 404, 408 and 429; {@code VENDOR_UNAVAILABLE} (retried) otherwise
   */
  @ActivityMethod
  FlyAppState inspectApp(InspectFlyAppRequest request);

  /**
   * The config hash a deployment of {@code request} writes in its machine's metadata, computed as
   * {@link #submitMachine} computes it (the spec mapped to a machine config, the secret references
   * resolved from the worker's secret store) without calling Fly. Read-only, hence idempotent; only
   * the hash is returned, never the config, whose environment holds the secrets.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIG} (not retried) when the spec
   *     does not map; {@code NOT_FOUND} (not retried) when a secret is not in the worker's store
   */
  @ActivityMethod
  String expectedConfigHash(DeployFlyAppRequest request);
}
