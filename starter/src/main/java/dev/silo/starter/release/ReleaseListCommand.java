package dev.silo.starter.release;

import dev.silo.client.TemporalConnection;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.RunListing;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.command.TemporalConnector;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.release.ReleaseNaming;
import dev.silo.workflows.release.ReleaseRequest;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silo release list}: the promotions, running and ended, newest first. */
@Command(
    name = "list",
    header = "List the promotions, running and ended, newest first.",
    description = "Each with its project, version, target, status, current environment and times.")
final class ReleaseListCommand implements Callable<Integer>, SiloCommand {

  private static final String WORKFLOW_TYPE = "ReleasePipelineWorkflow";

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();

  @Option(names = "--project", paramLabel = "P", description = "Only the promotions of this project.")
  String project;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many promotions (default 20).")
  int limit;

  ReleaseListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    if (limit < 1) {
      throw CliException.badInput("--limit must be at least 1");
    }
    List<RunListing.Filter> filters = new ArrayList<>();
    if (project != null) {
      String problem = ReleaseNaming.projectProblem(project);
      if (problem != null) {
        throw CliException.badInput(problem);
      }
      filters.add(new RunListing.Filter(SiloSearchAttributes.RELEASE_PROJECT.getName(), project));
    }
    Output output = new Output(context.out(), context.err(), globals.json());
    try (TemporalConnection connection = TemporalConnector.open(context, globals)) {
      List<ListedRelease> releases = RunListing.list(connection.stubs().blockingStub(), connection.namespace(),
              WORKFLOW_TYPE, filters, SiloSearchAttributes.RELEASE_STATUS.getName(), limit)
          .stream()
          .map(info -> listed(connection, info))
          .toList();
      output.document(releases);
      output.text(render(releases));
      return ExitCodes.OK;
    }
  }

  private static ListedRelease listed(TemporalConnection connection, WorkflowExecutionInfo info) {
    String status = ExecutionStatuses.name(info.getStatus());
    String releaseStatus = RunListing.keyword(info, SiloSearchAttributes.RELEASE_STATUS.getName());
    Optional<ReleaseRequest> request = request(connection, info);
    return new ListedRelease(
        request.map(ReleaseRequest::project)
            .orElse(RunListing.keyword(info, SiloSearchAttributes.RELEASE_PROJECT.getName())),
        request.map(ReleaseRequest::version)
            .orElse(RunListing.keyword(info, SiloSearchAttributes.RELEASE_VERSION.getName())),
        request.map(ReleaseRequest::target).orElse(null),
        status,
        releaseStatus,
        RunListing.keyword(info, SiloSearchAttributes.RELEASE_ENVIRONMENT.getName()),
        info.getExecution().getWorkflowId(),
        info.getExecution().getRunId(),
        RunListing.startTime(info),
        RunListing.closeTime(info));
  }

  /**
   * The request the promotion was started with, read from the first event of its history (one
   * event, decoded with the payload key as every command reads payloads); empty when it cannot be.
   */
  private static Optional<ReleaseRequest> request(TemporalConnection connection, WorkflowExecutionInfo info) {
    try {
      List<HistoryEvent> events = connection.stubs().blockingStub()
          .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
              .setNamespace(connection.namespace())
              .setExecution(info.getExecution())
              .setMaximumPageSize(1)
              .build())
          .getHistory()
          .getEventsList();
      if (events.isEmpty() || !events.get(0).hasWorkflowExecutionStartedEventAttributes()) {
        return Optional.empty();
      }
      return Optional.of(connection.client().getOptions().getDataConverter().fromPayloads(0,
          Optional.of(events.get(0).getWorkflowExecutionStartedEventAttributes().getInput()),
          ReleaseRequest.class, ReleaseRequest.class));
    } catch (RuntimeException unreadable) {
      // A history gone or encoded with another key: the search attributes still tell most of it.
      return Optional.empty();
    }
  }

  private static String render(List<ListedRelease> releases) {
    if (releases.isEmpty()) {
      return "No promotions found.";
    }
    List<String> lines = new ArrayList<>();
    lines.add(row("PROJECT", "VERSION", "TARGET", "STATUS", "RELEASE", "CURRENT", "STARTED", "ENDED"));
    for (ListedRelease release : releases) {
      lines.add(row(dash(release.project()), dash(release.version()), dash(release.target()), release.status(),
          dash(release.releaseStatus()), dash(release.currentEnvironment()), TextStyle.time(release.startTime()),
          TextStyle.time(release.closeTime())));
    }
    return String.join("\n", lines);
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }

  private static String row(String project, String version, String target, String status, String release,
      String current, String started, String ended) {
    return (TextStyle.pad(project, 16) + TextStyle.pad(version, 16) + TextStyle.pad(target, 9)
            + TextStyle.pad(status, 12) + TextStyle.pad(release, 11) + TextStyle.pad(current, 10)
            + TextStyle.pad(started, 22) + ended)
        .stripTrailing();
  }

  /**
   * One promotion, as the json output lists it.
   *
   * @param project the project
   * @param version the version
   * @param target the last environment asked for; null when the start could not be read
   * @param status Temporal's status: RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT
   * @param releaseStatus the promotion's own status (ReleaseStatus), or null before it set one
   * @param currentEnvironment the environment deployed last or now; null before the first one, and
   *     for promotions started before it was recorded
   * @param workflowId the workflow ID, {@code release-{project}-{version}}
   * @param runId the run
   * @param startTime when it started
   * @param closeTime when it ended, or null while it runs
   */
  record ListedRelease(String project, String version, String target, String status, String releaseStatus,
      String currentEnvironment, String workflowId, String runId, Instant startTime, Instant closeTime) {}
}
