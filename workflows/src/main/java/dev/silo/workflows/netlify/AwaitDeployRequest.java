package dev.silo.workflows.netlify;

/** @param deployId the deploy to wait for */
public record AwaitDeployRequest(String deployId) {}
