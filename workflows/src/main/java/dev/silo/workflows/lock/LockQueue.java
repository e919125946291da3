package dev.silo.workflows.lock;

import java.util.List;

/**
 * @param lockWorkflowId the lock
 * @param holder who holds the environment, or null
 * @param waiting who waits, first in line first
 */
public record LockQueue(String lockWorkflowId, LockRequest holder, List<LockRequest> waiting) {}
