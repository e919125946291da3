package dev.silo.starter.silo;

import dev.silo.client.TemporalConnection;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.ExecutionStatuses;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.command.TemporalConnector;
import dev.silo.starter.output.Output;
import dev.silo.starter.output.TerminalText;
import dev.silo.starter.output.TextStyle;
import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.silo.SiloStatus;
import dev.silo.workflows.silo.StepName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

  /** One search-attribute filter: the attribute and the value it must have. */
  record Filter(String attribute, String value) {}

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
    StringBuilder query = new StringBuilder("WorkflowType = '" + WORKFLOW_TYPE + "'");
    for (Filter filter : filters) {
      query.append(" AND ").append(filter.attribute()).append(" = '").append(filter.value()).append('\'');
    }
    return query.toString();
  }

  /**
   * Asks the visibility store with a query of the search attributes; servers without one (the
   * embedded dev server) answer UNIMPLEMENTED, and then the open and closed lists filtered by
   * workflow type give the same runs, filtered here by the attributes each run carries.
   */
  private List<ListedRun> list(WorkflowServiceBlockingStub service, String namespace, List<Filter> filters) {
    try {
      List<WorkflowExecutionInfo> executions =
          service
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery(query(filters))
                      .setPageSize(limit)
                      .build())
              .getExecutionsList();
      return newestFirst(executions.stream()).toList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    // These lists carry neither search attributes nor close times on every server; describing each
    // listed run fills them in.
    return newestFirst(openAndClosed(service, namespace).stream()
            .map(run -> described(service, namespace, run, filters))
            .filter(run -> matches(run, filters)))
        .toList();
  }

  private Stream<ListedRun> newestFirst(Stream<WorkflowExecutionInfo> executions) {
    return executions
        .map(ListCommand::listed)
        .sorted(Comparator.comparing(ListedRun::startTime, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit);
  }

  private static boolean matches(WorkflowExecutionInfo run, List<Filter> filters) {
    return filters.stream().allMatch(filter -> filter.value().equals(keyword(run, filter.attribute())));
  }

  private static WorkflowExecutionInfo described(WorkflowServiceBlockingStub service, String namespace,
      WorkflowExecutionInfo run, List<Filter> filters) {
    boolean complete = keyword(run, SiloSearchAttributes.STATUS.getName()) != null
        && (run.hasCloseTime() || run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        && filters.stream().allMatch(filter -> keyword(run, filter.attribute()) != null);
    if (complete) {
      return run;
    }
    try {
      return service
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(namespace)
                  .setExecution(run.getExecution())
                  .build())
          .getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return run;
      }
      throw e;
    }
  }

  private List<WorkflowExecutionInfo> openAndClosed(WorkflowServiceBlockingStub service, String namespace) {
    WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(WORKFLOW_TYPE).build();
    List<WorkflowExecutionInfo> open =
        service
            .listOpenWorkflowExecutions(
                ListOpenWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setTypeFilter(type)
                    .setMaximumPageSize(limit)
                    .build())
            .getExecutionsList();
    List<WorkflowExecutionInfo> closed =
        service
            .listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setTypeFilter(type)
                    .setMaximumPageSize(limit)
                    .build())
            .getExecutionsList();
    return Stream.concat(open.stream(), closed.stream()).toList();
  }

  private static ListedRun listed(WorkflowExecutionInfo info) {
    return new ListedRun(
        info.getExecution().getWorkflowId(),
        info.getExecution().getRunId(),
        ExecutionStatuses.name(info.getStatus()),
        siloStatus(info),
        info.hasStartTime() ? instant(info.getStartTime()) : null,
        info.hasCloseTime() ? instant(info.getCloseTime()) : null);
  }

  /** The SiloStatus search attribute, or null when the run has not set it. */
  private static String siloStatus(WorkflowExecutionInfo info) {
    return keyword(info, SiloSearchAttributes.STATUS.getName());
  }

  /** A Keyword search attribute; search attributes are never encrypted, so any converter reads them. */
  private static String keyword(WorkflowExecutionInfo info, String name) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(name);
    if (payload == null) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  private static Instant instant(com.google.protobuf.Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
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
