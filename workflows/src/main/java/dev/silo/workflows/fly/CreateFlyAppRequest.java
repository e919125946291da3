package dev.silo.workflows.fly;

/**
 * @param org the organization slug
 * @param appName the app, {@code devenv-{client}-{app}-{service}}
 */
public record CreateFlyAppRequest(String org, String appName) {}
