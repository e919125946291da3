package dev.silo.starter.silo;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.DurationConverter;
import dev.silo.starter.command.Errors;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.DurationRange;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.drift.CheckNames;
import dev.silo.workflows.drift.DriftReport;
import dev.silo.workflows.drift.SiloCheckRequest;
import dev.silo.workflows.drift.SiloCheckWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silo check}: compares the live silo with what its last deployment recorded, or manages the
 * schedule that does so periodically.
 */
@Command(
    name = "check",
    description = {
      "Compare a deployed silo with what its last deployment recorded (Netlify branch and variables, Fly apps and"
          + " machines, the branch, the containers, the desk status); exit 1 when something drifted.",
      "With --schedule, run that check every --every (default 1h) as schedule silo-check-<client>-<app>;"
          + " --unschedule removes it."
    })
public final class CheckCommand extends SiloRunCommand {

  /** How long the CLI waits for a check's report; a check reads each system once, in parallel. */
  static final Duration REPORT_WAIT = Duration.ofMinutes(5);

  private static final DateTimeFormatter SUFFIX_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Option(names = "--schedule", description = "Create or update the silo's check schedule instead of checking now.")
  boolean schedule;

  @Option(names = "--unschedule", description = "Delete the silo's check schedule (nothing to delete is fine).")
  boolean unschedule;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = DurationConverter.CheckInterval.class,
      description = "With --schedule: how often the check runs, e.g. 30m, 1h, 1d (default 1h; 1m to 7d).")
  Duration every;

  public CheckCommand(CliContext context) {
    super(context);
  }

  /** Refuses contradictory options before connecting, so they are exit 2 whatever the server. */
  @Override
  public Integer call() {
    if (schedule && unschedule) {
      throw CliException.badInput("--schedule and --unschedule cannot be given together");
    }
    if (every != null && !schedule) {
      throw CliException.badInput("--every goes with --schedule");
    }
    return super.call();
  }

  @Override
  int run(SiloTarget target, Output output) {
    if (unschedule) {
      CheckSchedule.ScheduleResult result = CheckSchedule.delete(target.schedules(), target.names());
      output.document(result);
      output.text(TextStyle.OK + " schedule " + result.scheduleId()
          + (result.change() == CheckSchedule.Change.DELETED ? " deleted" : " did not exist; nothing to delete"));
      return ExitCodes.OK;
    }
    Optional<WorkflowExecutionMetadata> deployment = target.find(null);
    if (deployment.isEmpty()) {
      throw CliException.unavailable("no deployment of " + target.names().siloId() + " found (workflow "
          + target.workflowId() + "): there is nothing to check; deploy it with '" + target.command("deploy") + "'");
    }
    if (schedule) {
      Duration interval = every == null ? Duration.ofHours(1) : every;
      CheckSchedule.ScheduleResult result = CheckSchedule.put(target.schedules(), target.names(), interval);
      output.document(result);
      output.text(TextStyle.OK + " schedule " + result.scheduleId() + " " + result.change().name().toLowerCase()
          + ": a drift check every " + DurationRange.written(interval) + ", runs named " + result.workflowIdPrefix()
          + "-<time>");
      return ExitCodes.OK;
    }
    if (ExecutionStatuses.isRunning(deployment.get().getStatus())) {
      throw CliException.badInput("the deployment of " + target.names().siloId() + " is running (run "
          + deployment.get().getExecution().getRunId() + "): check it once it has ended");
    }
    return check(target, output);
  }

  private int check(SiloTarget target, Output output) {
    String suffix = SUFFIX_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    String workflowId = CheckNames.manualWorkflowId(target.names(), suffix);
    SiloCheckWorkflow check = target.client().newWorkflowStub(SiloCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.SILO).build());
    WorkflowClient.start(check::check, new SiloCheckRequest(target.names().client(), target.names().app()));
    DriftReport report;
    try {
      report = WorkflowStub.fromTyped(check).getResult(REPORT_WAIT.toSeconds(), TimeUnit.SECONDS, DriftReport.class);
    } catch (TimeoutException e) {
      throw CliException.unavailable("the check " + workflowId + " gave no report within "
          + DurationRange.written(REPORT_WAIT) + "; is a worker polling task queue '" + TaskQueues.SILO + "'?");
    } catch (WorkflowFailedException e) {
      return output.withoutReport("the check " + workflowId + " failed: " + Errors.message(e), ExitCodes.RUN_FAILED);
    }
    output.document(report);
    output.text(DriftRenderer.render(report));
    return switch (report.outcome()) {
      case IN_SYNC -> ExitCodes.OK;
      case DRIFTED, INCOMPLETE -> ExitCodes.RUN_FAILED;
      case NEVER_DEPLOYED -> ExitCodes.UNAVAILABLE;
      case DEPLOYMENT_RUNNING -> ExitCodes.BAD_INPUT;
    };
  }
}
