package dev.silo.workflows.fly;

/**
 * A machine that Fly has accepted for an app, created or updated, but that may not have started
 * yet: what {@link FlyActivities#submitMachine} answers and {@link FlyActivities#awaitMachine}
 * waits for.
 *
 * @param appName the app
 * @param machineId the machine serving it
 * @param instanceId the version of the machine's config to wait for (Fly's {@code instance_id}),
 *     so that the previous version still running is not taken for the new one; null when Fly
 *     reported none, and then whatever version runs is waited for
 */
public record FlyMachine(String appName, String machineId, String instanceId) {}
