package dev.silo.workflows.lock;

import dev.silo.workflows.summary.Waits;
import dev.silo.workflows.ActivityHeartbeats;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A first-come-first-served queue in one workflow: signals change the queue, the main loop hands
 * the environment on. A deployment that was terminated cannot give the environment back, so the
 * loop checks that the next in line still runs before telling it, and that the holder still runs
 * every {@link #HOLDER_CHECK_INTERVAL}; one that does not is passed over.
 */
public class EnvironmentLockWorkflowImpl implements EnvironmentLockWorkflow {

  /** Past this many history events an idle lock continues as new. */
  static final int CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;

  /** How often the lock checks that its holder still runs. */
  static final Duration HOLDER_CHECK_INTERVAL = Duration.ofMinutes(5);

  private static final ActivityOptions LIVENESS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setHeartbeatTimeout(ActivityHeartbeats.TIMEOUT)
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofMinutes(1)).build())
      .build();

  private final LockActivities activities = Workflow.newActivityStub(LockActivities.class, LIVENESS);
  private LockRequest holder;
  private final List<LockRequest> waiting = new ArrayList<>();
  private String previousHolder;
  /** Whether the holder has been told; false until the loop tells a new holder. */
  private boolean told;

  /** Takes over the queue carried from the previous run, before any signal is handled. */
  @WorkflowInit
  public EnvironmentLockWorkflowImpl(LockState state) {
    if (state != null) {
      holder = state.holder();
      waiting.addAll(state.waiting() == null ? List.of() : state.waiting());
      previousHolder = state.previousHolder();
    }
  }

  @Override
  public void serve(LockState state) {
    while (true) {
      boolean changed = Waits.await(HOLDER_CHECK_INTERVAL, "next check of the lock holder",
          () -> (holder != null && !told) || (holder == null && !waiting.isEmpty()) || idleAndLong());
      if (holder == null && !waiting.isEmpty()) {
        holder = waiting.remove(0);
        told = false;
      }
      if (holder != null && (!told || !changed)) {
        LockRequest current = holder;
        if (!activities.isRunning(current.workflowId()) || !tell(current)) {
          passOver(current);
        }
        continue;
      }
      if (idleAndLong()) {
        Workflow.continueAsNew(new LockState(null, List.of(), previousHolder));
      }
    }
  }

  private boolean idleAndLong() {
    return holder == null && waiting.isEmpty()
        && Workflow.getInfo().getHistoryLength() > CONTINUE_AS_NEW_AFTER_EVENTS;
  }

  /** Tells the holder it holds the environment; false when it cannot be told. */
  private boolean tell(LockRequest current) {
    if (told) {
      return true;
    }
    ExternalWorkflowStub stub = Workflow.newUntypedExternalWorkflowStub(current.workflowId());
    try {
      stub.signal(GRANTED, new LockGrant(Workflow.getInfo().getWorkflowId(), previousHolder));
    } catch (SignalExternalWorkflowException gone) {
      return false;
    }
    if (holder != null && holder.workflowId().equals(current.workflowId())) {
      told = true;
    }
    return true;
  }

  /** The holder no longer runs: the environment goes to the next in line. */
  private void passOver(LockRequest gone) {
    if (holder != null && holder.workflowId().equals(gone.workflowId())) {
      Workflow.getLogger(EnvironmentLockWorkflowImpl.class)
          .warn("{} no longer runs; the environment goes to the next in line", gone.workflowId());
      previousHolder = gone.workflowId();
      holder = null;
      told = false;
    }
  }

  @Override
  public void acquire(LockRequest request) {
    if (holder != null && holder.workflowId().equals(request.workflowId())) {
      // A retried request: the grant may have been lost with the attempt that asked first.
      told = false;
      return;
    }
    if (waiting.stream().noneMatch(w -> w.workflowId().equals(request.workflowId()))) {
      waiting.add(request);
    }
  }

  @Override
  public void release(LockRelease release) {
    if (holder != null && holder.workflowId().equals(release.workflowId())) {
      previousHolder = holder.workflowId();
      holder = null;
      told = false;
      return;
    }
    waiting.removeIf(w -> w.workflowId().equals(release.workflowId()));
  }

  @Override
  public LockQueue queue() {
    return new LockQueue(Workflow.getInfo().getWorkflowId(), holder, List.copyOf(waiting));
  }
}
