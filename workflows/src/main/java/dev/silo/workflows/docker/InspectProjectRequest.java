package dev.silo.workflows.docker;

/** @param project the Compose project whose containers are read */
public record InspectProjectRequest(String project) {}
