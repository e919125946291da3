package dev.silo.starter.release;

import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.release.EnvironmentSlot;
import dev.silo.workflows.release.ReleaseProgress;
import dev.silo.workflows.release.ReleaseReport;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows one promotion until it ends ({@code silo release watch}, {@code silo release start
 * --follow}): one line per change of the promotion and of the deployment running, then the report.
 * Stopping the CLI stops the watching, never the release.
 */
final class ReleaseFollower {

  private final ReleaseTarget target;
  private final String version;
  private final Output output;
  /** The last reason each run's progress was unavailable, so a lasting outage is printed once. */
  private final Map<String, String> unavailable = new HashMap<>();

  ReleaseFollower(ReleaseTarget target, String version, Output output) {
    this.target = target;
    this.version = version;
    this.output = output;
  }

  /** Follows the given run (the latest when null) and returns the exit code of its outcome. */
  int follow(String runId) {
    WorkflowExecutionMetadata run = target.requireRelease(version, runId);
    String pinned = run.getExecution().getRunId();
    if (!ExecutionStatuses.isRunning(run.getStatus())) {
      return target.outcome(version, run).print(output);
    }
    String workflowId = run.getExecution().getWorkflowId();
    output.line("Watching " + workflowId + " (run " + pinned + "). Ctrl-C stops watching, not the release.");
    ReleaseChanges changes = new ReleaseChanges(target.project(), this::holder);
    WorkflowStub stub = target.stub(workflowId, pinned);
    do {
      poll(changes, pinned, RunLookup.RUNNING_QUERY_DEADLINE);
    } while (!RunLookup.ended(stub, ReleaseReport.class));
    // The last environment's final steps, when a worker can still tell them; the report has them anyway.
    poll(changes, pinned, RunLookup.CLOSED_RUN_QUERY_DEADLINE);
    return target.outcome(version, target.requireRelease(version, pinned)).print(output);
  }

  private void poll(ReleaseChanges changes, String runId, Duration deadline) {
    ReleaseProgress progress;
    try {
      progress = target.releaseProgress(version, runId, deadline);
      unavailable.remove(runId);
    } catch (ProgressUnavailableException e) {
      notice(runId, e);
      return;
    }
    List<EnvironmentSlot> slots = progress.environments() == null ? List.of() : progress.environments();
    // A deployment that just ended tells its last steps before the line saying how it ended.
    slots.stream().filter(slot -> slot.status().isTerminal()).forEach(slot -> followed(changes, slot, deadline));
    print(changes.release(progress));
    slots.stream().filter(slot -> !slot.status().isTerminal()).forEach(slot -> followed(changes, slot, deadline));
  }

  private void followed(ReleaseChanges changes, EnvironmentSlot slot, Duration deadline) {
    if (slot.workflowId() == null || !changes.follows(slot)) {
      return;
    }
    try {
      print(changes.deployment(target.deploymentProgress(slot.workflowId(), null, deadline)));
      unavailable.remove(slot.workflowId());
    } catch (ProgressUnavailableException e) {
      notice(slot.workflowId(), e);
    }
  }

  /** The deployment holding an environment, or null when its lock cannot tell. */
  private LockRequest holder(String environment) {
    try {
      return target.lockQueue(environment, RunLookup.CLOSED_RUN_QUERY_DEADLINE).map(LockQueue::holder).orElse(null);
    } catch (ProgressUnavailableException e) {
      return null;
    }
  }

  private void notice(String workflowId, ProgressUnavailableException e) {
    String reason = e.getMessage();
    if (!reason.equals(unavailable.put(workflowId, reason))) {
      output.line(TextStyle.stamp("progress of " + workflowId + " not available yet (is a worker polling task queue '"
          + TaskQueues.SILO + "'?): " + reason));
    }
  }

  private void print(List<String> lines) {
    lines.forEach(line -> output.line(TextStyle.stamp(line)));
  }
}
