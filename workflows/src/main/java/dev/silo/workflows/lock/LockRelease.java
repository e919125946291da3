package dev.silo.workflows.lock;

/** @param workflowId the workflow giving the environment back, or leaving the queue */
public record LockRelease(String workflowId) {}
