package dev.silo.workflows.docker;

/** @param project the Compose project to describe */
public record DescribeProjectRequest(String project) {}
