package dev.silo.workflows.docker;

/** @param project the Compose project whose containers are stopped or started */
public record PowerContainersRequest(String project) {}
