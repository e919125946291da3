package dev.silo.workflows.fly;

/**
 * @param appName the app whose machines are stopped or started
 * @param org the organization the app must belong to: an app of another organization is never
 *     touched
 */
public record PowerFlyAppRequest(String appName, String org) {}
