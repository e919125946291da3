package dev.silo.workflows.fly;

/** @param slug the organization to delete when it holds no app, {@code {client}-{app}} */
public record DeleteOrganizationRequest(String slug) {}
