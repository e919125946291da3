package dev.silo.workflows.fly;

/**
 * @param appName the app
 * @param alreadyGone whether it was gone before this call
 */
public record FlyAppDestroyed(String appName, boolean alreadyGone) {}
