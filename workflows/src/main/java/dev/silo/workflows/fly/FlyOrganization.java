package dev.silo.workflows.fly;

/**
 * @param slug the organization slug
 * @param id Fly's ID for it
 * @param created whether this call created it
 */
public record FlyOrganization(String slug, String id, boolean created) {}
