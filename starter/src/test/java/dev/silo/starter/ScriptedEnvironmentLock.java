package dev.silo.starter;

import dev.silo.workflows.lock.EnvironmentLockWorkflow;
import dev.silo.workflows.lock.LockGrant;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.lock.LockRelease;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.lock.LockState;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only environment lock: first come, first served, the holder told with {@link
 * EnvironmentLockWorkflow#GRANTED}. It answers {@code queue()} as the CLI reads it.
 */
public class ScriptedEnvironmentLock implements EnvironmentLockWorkflow {

  private LockRequest holder;
  private final List<LockRequest> waiting = new ArrayList<>();
  private String told;
  private String previousHolder;

  @Override
  public void serve(LockState state) {
    while (true) {
      Workflow.await(() -> (holder == null && !waiting.isEmpty())
          || (holder != null && !holder.workflowId().equals(told)));
      if (holder == null) {
        holder = waiting.remove(0);
      }
      told = holder.workflowId();
      try {
        Workflow.newUntypedExternalWorkflowStub(holder.workflowId())
            .signal(GRANTED, new LockGrant(Workflow.getInfo().getWorkflowId(), previousHolder));
      } catch (SignalExternalWorkflowException e) {
        previousHolder = holder.workflowId();
        holder = null;
      }
    }
  }

  @Override
  public void acquire(LockRequest request) {
    boolean known = (holder != null && holder.workflowId().equals(request.workflowId()))
        || waiting.stream().anyMatch(queued -> queued.workflowId().equals(request.workflowId()));
    if (!known) {
      waiting.add(request);
    }
  }

  @Override
  public void release(LockRelease release) {
    if (holder != null && holder.workflowId().equals(release.workflowId())) {
      previousHolder = holder.workflowId();
      holder = null;
    } else {
      waiting.removeIf(queued -> queued.workflowId().equals(release.workflowId()));
    }
  }

  @Override
  public LockQueue queue() {
    return new LockQueue(Workflow.getInfo().getWorkflowId(), holder, List.copyOf(waiting));
  }
}
