package dev.silo.workflows.netlify;

/**
 * @param buildId the build
 * @param deployId the deploy the build produces
 */
public record NetlifyBuild(String buildId, String deployId) {}
