package dev.silo.workflows.fly;

/**
 * What stopping or starting did to one machine.
 *
 * @param machineId the machine
 * @param before Fly's state before the call ({@code started}, {@code stopped}, ...)
 * @param after Fly's state once the wait ended
 * @param changed whether this call stopped or started it; false when it already was as asked
 */
public record MachinePower(String machineId, String before, String after, boolean changed) {}
