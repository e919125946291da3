package dev.silo.workflows.fly;

/** @param slug the organization slug, {@code {client}-{app}} */
public record EnsureOrganizationRequest(String slug) {}
