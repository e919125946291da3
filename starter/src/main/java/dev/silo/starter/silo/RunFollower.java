package dev.silo.starter.silo;

import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.silo.SiloReport;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.util.List;

/**
 * Follows one run until it ends ({@code silo watch}, {@code silo deploy --follow}): one line per
 * change of step, status or pending decision, then the report. Stopping the CLI stops the
 * watching, never the run.
 */
final class RunFollower {

  private final SiloTarget target;
  private final Output output;

  RunFollower(SiloTarget target, Output output) {
    this.target = target;
    this.output = output;
  }

  /** Follows the given run (the latest when null) and returns the exit code of its outcome. */
  int follow(String runId) {
    WorkflowExecutionMetadata run = target.requireRun(runId);
    String pinned = run.getExecution().getRunId();
    if (!ExecutionStatuses.isRunning(run.getStatus())) {
      return target.outcome(run).print(output, target.names());
    }
    output.line("Watching " + target.workflowId() + " (run " + pinned + "). Ctrl-C stops watching, not the run.");
    ProgressChanges changes = new ProgressChanges(target.names());
    awaitEnd(pinned, changes);
    RunOutcome outcome = target.outcome(target.requireRun(pinned));
    print(changes.next(outcome.asProgress()));
    return outcome.print(output, target.names());
  }

  private void awaitEnd(String runId, ProgressChanges changes) {
    WorkflowStub stub = target.stub(runId);
    String unavailable = null;
    do {
      try {
        print(changes.next(target.progress(runId, RunLookup.RUNNING_QUERY_DEADLINE)));
        unavailable = null;
      } catch (ProgressUnavailableException e) {
        String reason = e.getMessage();
        if (!reason.equals(unavailable)) {
          output.line(TextStyle.stamp("progress not available yet (is a worker polling?): " + reason));
        }
        unavailable = reason;
      }
    } while (!RunLookup.ended(stub, SiloReport.class));
  }

  private void print(List<String> lines) {
    lines.forEach(line -> output.line(TextStyle.stamp(line)));
  }
}
