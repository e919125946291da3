package dev.silo.workflows.netlify;

/**
 * @param deployId the deploy
 * @param state its final state, {@code ready}
 * @param previewUrl the deploy's branch URL
 */
public record NetlifyDeploy(String deployId, String state, String previewUrl) {}
