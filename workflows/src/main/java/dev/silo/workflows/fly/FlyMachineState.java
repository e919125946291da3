package dev.silo.workflows.fly;

/**
 * One machine as Fly reports it now.
 *
 * @param id the machine
 * @param state Fly's state: {@code started}, {@code stopped}, {@code suspended}, {@code failed}…
 * @param instanceId the version of its config (changes with every update)
 * @param configHash the config hash the deployment wrote in its metadata, or null when the machine
 *     carries none (it was not made by a silo deployment, or was replaced by hand)
 */
public record FlyMachineState(String id, String state, String instanceId, String configHash) {}
