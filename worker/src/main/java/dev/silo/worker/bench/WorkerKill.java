package dev.silo.worker.bench;

import dev.silo.workflows.silo.SiloNames;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The SIGKILL of a worker in the middle of a case: when, and which activities it held (per workflow
 * ID, their activity IDs).
 */
record WorkerKill(Instant at, Map<String, Set<String>> activityIds) {

  /**
   * SIGKILLs the first worker, then notes which activities it held: those whose pending attempt the
   * server still sees on that worker's identity, until the attempt times out.
   */
  static WorkerKill killFirst(BenchRig rig, List<SiloNames> silos, List<WorkerProcess> workers, Instant begin,
      Consumer<String> notice) throws InterruptedException {
    WorkerProcess victim = workers.get(0);
    Instant at = Instant.now();
    victim.kill();
    Map<String, Set<String>> onVictim = new LinkedHashMap<>();
    for (SiloNames silo : silos) {
      try {
        List<PendingActivityInfo> pending = rig.connection().stubs().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace(rig.connection().namespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(silo.workflowId())).build())
            .getPendingActivitiesList();
        for (PendingActivityInfo activity : pending) {
          if (victim.owns(activity.getLastWorkerIdentity())) {
            onVictim.computeIfAbsent(silo.workflowId(), id -> new TreeSet<>()).add(activity.getActivityId());
          }
        }
      } catch (RuntimeException notStarted) {
        // A run not started yet has nothing on the worker.
      }
    }
    notice.accept(String.format("killed worker pid %d %.1f s in; %d activities were running on it", victim.pid(),
        Duration.between(begin, at).toMillis() / 1000.0, onVictim.values().stream().mapToInt(Set::size).sum()));
    return new WorkerKill(at, onVictim);
  }

  /** The kill, once it happened; null when none was due or it failed, which the notice says. */
  static WorkerKill done(Future<WorkerKill> kill, Consumer<String> notice) throws InterruptedException {
    if (!kill.isDone()) {
      kill.cancel(false);
      notice.accept("the runs ended before the worker was due to be killed; nothing was killed");
      return null;
    }
    try {
      return kill.get();
    } catch (ExecutionException e) {
      notice.accept("the worker could not be killed: " + e.getCause());
      return null;
    }
  }
}
