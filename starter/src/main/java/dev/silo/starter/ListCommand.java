package dev.silo.starter;

import dev.silo.workflows.SiloSearchAttributes;
import dev.silo.workflows.client.TemporalConnection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code silo list}: open and recent silo deployments, newest first. */
@Command(name = "list", description = "List open and recent silo deployments, newest first.")
final class ListCommand implements Callable<Integer>, SiloCommand {

  private static final String WORKFLOW_TYPE = "SiloDeploymentWorkflow";

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default 20).")
  int limit;

  ListCommand(CliContext context) {
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
    Output output = new Output(context, globals);
    try (TemporalConnection connection = TemporalConnector.open(context, globals)) {
      List<ListedRun> runs = list(connection.stubs().blockingStub(), connection.namespace());
      output.document(runs);
      output.text(render(runs));
      return ExitCodes.OK;
    }
  }

  /**
   * Asks the visibility store; servers without one (the embedded dev server) answer UNIMPLEMENTED,
   * and then the open and closed lists filtered by workflow type give the same runs.
   */
  private List<ListedRun> list(WorkflowServiceBlockingStub service, String namespace) {
    try {
      List<WorkflowExecutionInfo> executions =
          service
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery("WorkflowType='" + WORKFLOW_TYPE + "'")
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
    return newestFirst(openAndClosed(service, namespace).stream())
        .map(run -> described(service, namespace, run))
        .toList();
  }

  private Stream<ListedRun> newestFirst(Stream<WorkflowExecutionInfo> executions) {
    return executions
        .map(ListCommand::listed)
        .sorted(Comparator.comparing(ListedRun::startTime, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit);
  }

  private static ListedRun described(WorkflowServiceBlockingStub service, String namespace, ListedRun run) {
    if (run.siloStatus() != null && (run.closeTime() != null || "RUNNING".equals(run.status()))) {
      return run;
    }
    WorkflowExecution execution =
        WorkflowExecution.newBuilder().setWorkflowId(run.workflowId()).setRunId(run.runId()).build();
    try {
      return listed(
          service
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(execution)
                      .build())
              .getWorkflowExecutionInfo());
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

  /** The SiloStatus search attribute; search attributes are never encrypted, so any converter reads them. */
  private static String siloStatus(WorkflowExecutionInfo info) {
    Payload payload =
        info.getSearchAttributes().getIndexedFieldsMap().get(SiloSearchAttributes.STATUS.getName());
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
