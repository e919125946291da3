package dev.silo.workflows.fly;

/**
 * @param name the app's name
 * @param org the organization it belongs to
 * @param created whether this call created it (false: it already existed in the organization)
 */
public record FlyApp(String name, String org, boolean created) {}
