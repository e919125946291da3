package dev.silo.starter;

import dev.silo.workflows.silo.SiloReport;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows one run until it ends ({@code silo watch}, {@code silo deploy --follow}): one line per
 * change of step, status or pending decision, then the report. Stopping the CLI stops the
 * watching, never the run.
 */
final class RunFollower {

  /** How long each wait for the run's end lasts before the progress is asked again. */
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

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
      return OutcomePrinter.print(output, target.names(), target.outcome(run));
    }
    output.line("Watching " + target.workflowId() + " (run " + pinned + "). Ctrl-C stops watching, not the run.");
    ProgressChanges changes = new ProgressChanges(target.names());
    awaitEnd(pinned, changes);
    RunOutcome outcome = target.outcome(target.requireRun(pinned));
    print(changes.next(outcome.asProgress()));
    return OutcomePrinter.print(output, target.names(), outcome);
  }

  private void awaitEnd(String runId, ProgressChanges changes) {
    WorkflowStub stub = target.stub(runId);
    String unavailable = null;
    do {
      try {
        print(changes.next(target.progress(runId, SiloTarget.RUNNING_QUERY_DEADLINE)));
        unavailable = null;
      } catch (ProgressUnavailableException e) {
        String reason = e.getMessage();
        if (!reason.equals(unavailable)) {
          output.line(stamp("progress not available yet (is a worker polling?): " + reason));
        }
        unavailable = reason;
      }
    } while (!ended(stub, SiloReport.class));
  }

  /**
   * Waits up to the poll interval for the run's end; whether it has ended. A real server answers
   * RESOURCE_EXHAUSTED ("Workflow is busy.") while the run's own events hold its lock, as when
   * parallel activities complete at once: that is asked again at the next poll, like a timeout.
   */
  static boolean ended(WorkflowStub stub, Class<?> resultType) {
    try {
      stub.getResult(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS, resultType);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (WorkflowFailedException e) {
      return true;
    } catch (RuntimeException e) {
      if (busy(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether the server said it is too busy with the run to answer now. */
  static boolean busy(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  private void print(List<String> lines) {
    lines.forEach(line -> output.line(stamp(line)));
  }

  /** The line with the time of day in front, as every progress line is printed. */
  static String stamp(String line) {
    return LocalTime.now().format(CLOCK) + "  " + line;
  }
}
