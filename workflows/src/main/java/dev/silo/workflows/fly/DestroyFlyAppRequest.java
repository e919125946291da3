package dev.silo.workflows.fly;

/**
 * @param org the organization the app must belong to
 * @param appName the app to destroy
 */
public record DestroyFlyAppRequest(String org, String appName) {}
