package dev.silo.starter.silo;

import dev.silo.client.TemporalConnection;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.RunListing;
import dev.silo.starter.command.RunListing.Filter;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.command.TemporalConnector;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepName;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silo list}: open and recent silo deployments, newest first. */
@Command(name = "list", description = "List open and recent silo deployments, newest first.")
public final class ListCommand implements Callable<Integer>, SiloCommand {

  private static final String WORKFLOW_TYPE = "SiloDeploymentWorkflow";

  /** A client name: lowercase letters and digits, no hyphen (SiloNames). */
  private static final Pattern CLIENT_NAME = Pattern.compile("[a-z0-9]+");

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default 20).")
  int limit;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only runs whose SiloStatus is STATUS (AWAITING_APPROVAL, RUNNING, DEPLOYED, ERROR, ...).")
  String status;

  @Option(names = "--client", paramLabel = "CLIENT", description = "Only the runs of this client.")
  String client;

  @Option(names = "--step", paramLabel = "STEP",
      description = "Only runs whose current step (SiloStep) is STEP (VALIDATE, DOCKER, FLY, GIT, NETLIFY, DESK, REPORT).")
  String step;

  public ListCommand(CliContext context) {
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
    List<Filter> filters = filters();
    Output output = new Output(context.out(), context.err(), globals.json());
    try (TemporalConnection connection = TemporalConnector.open(context, globals)) {
      List<ListedRun> runs = list(connection.stubs().blockingStub(), connection.namespace(), filters);
      output.document(runs);
      output.text(render(runs));
      return ExitCodes.OK;
    }
  }

  /** The filters the options ask for, each value checked so that it can be quoted in a query. */
  List<Filter> filters() {
    List<Filter> filters = new ArrayList<>();
    if (status != null) {
      filters.add(new Filter(SiloSearchAttributes.STATUS.getName(), oneOf("--status", status,
          Stream.of(SiloStatus.values()).map(Enum::name).toList())));
    }
    if (client != null) {
      if (!CLIENT_NAME.matcher(client).matches()) {
        throw CliException.badInput("--client '" + TerminalText.escape(client) + "' is not a client name:"
            + " lowercase letters and digits");
      }
      filters.add(new Filter(SiloSearchAttributes.CLIENT.getName(), client));
    }
    if (step != null) {
      filters.add(new Filter(SiloSearchAttributes.STEP.getName(), oneOf("--step", step,
          Stream.of(StepName.values()).map(Enum::name).toList())));
    }
    return filters;
  }

  private static String oneOf(String option, String value, List<String> allowed) {
    String upper = value.strip().toUpperCase(Locale.ROOT);
    if (!allowed.contains(upper)) {
      throw CliException.badInput(option + " '" + TerminalText.escape(value) + "' is none of "
          + String.join(", ", allowed));
    }
    return upper;
  }

  /** The visibility query: the silo workflow type and each filter, values checked beforehand. */
  static String query(List<Filter> filters) {
    return RunListing.query(WORKFLOW_TYPE, filters);
  }

  private List<ListedRun> list(WorkflowServiceBlockingStub service, String namespace, List<Filter> filters) {
    return RunListing.list(service, namespace, WORKFLOW_TYPE, filters, SiloSearchAttributes.STATUS.getName(), limit)
        .stream()
        .map(ListCommand::listed)
        .toList();
  }

  private static ListedRun listed(WorkflowExecutionInfo info) {
    return new ListedRun(
        info.getExecution().getWorkflowId(),
        info.getExecution().getRunId(),
        ExecutionStatuses.name(info.getStatus()),
        RunListing.keyword(info, SiloSearchAttributes.STATUS.getName()),
        RunListing.startTime(info),
        RunListing.closeTime(info));
  }

  private static String render(List<ListedRun> runs) {
    if (runs.isEmpty()) {
      return "No silo deployments found.";
    }
    List<String> lines = new ArrayList<>();
    lines.add(row("WORKFLOW ID", "STATUS", "SILO STATUS", "STARTED", "CLOSED", "RUN ID"));
    for (ListedRun run : runs) {
      lines.add(
          row(
              run.workflowId(),
              run.status(),
              run.siloStatus() == null ? "-" : run.siloStatus(),
              TextStyle.time(run.startTime()),
              TextStyle.time(run.closeTime()),
              run.runId()));
    }
    return String.join("\n", lines);
  }

  private static String row(String id, String status, String siloStatus, String started, String closed, String run) {
    return (TextStyle.pad(id, 32) + TextStyle.pad(status, 12) + TextStyle.pad(siloStatus, 28)
            + TextStyle.pad(started, 22) + TextStyle.pad(closed, 22) + run)
        .stripTrailing();
  }

  /**
   * One run, as the json output lists it.
   *
   * @param workflowId the workflow ID, {@code silo-{client}-{app}}
   * @param runId the run
   * @param status Temporal's status: RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT
   * @param siloStatus the SiloStatus search attribute, or null when the run has not set it
   * @param startTime when it started
   * @param closeTime when it closed, or null while it runs
   */
  record ListedRun(
      String workflowId, String runId, String status, String siloStatus, Instant startTime, Instant closeTime) {}
}
