package dev.silo.starter.command;

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
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs of one workflow type, newest first, filtered by Keyword search attributes: from the
 * visibility store's query where the server has one, else from the open and closed lists.
 */
public final class RunListing {

  /** One search-attribute filter: the attribute and the value it must have, checked beforehand. */
  public record Filter(String attribute, String value) {}

  private RunListing() {}

  /** The visibility query: the workflow type and each filter, values checked beforehand. */
  public static String query(String workflowType, List<Filter> filters) {
    StringBuilder query = new StringBuilder("WorkflowType = '" + workflowType + "'");
    for (Filter filter : filters) {
      query.append(" AND ").append(filter.attribute()).append(" = '").append(filter.value()).append('\'');
    }
    return query.toString();
  }

  /**
   * Asks the visibility store with a query of the search attributes; servers without one (the
   * embedded dev server) answer UNIMPLEMENTED, and then the open and closed lists filtered by
   * workflow type give the same runs, filtered here by the attributes each run carries.
   *
   * @param complete the attribute a listed run must carry for its listing to need no description
   */
  public static List<WorkflowExecutionInfo> list(WorkflowServiceBlockingStub service, String namespace,
      String workflowType, List<Filter> filters, String complete, int limit) {
    try {
      List<WorkflowExecutionInfo> executions =
          service
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery(query(workflowType, filters))
                      .setPageSize(limit)
                      .build())
              .getExecutionsList();
      return newestFirst(executions.stream(), limit);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    // These lists carry neither search attributes nor close times on every server; describing each
    // listed run fills them in.
    return newestFirst(openAndClosed(service, namespace, workflowType, limit).stream()
            .map(run -> described(service, namespace, run, filters, complete))
            .filter(run -> matches(run, filters)),
        limit);
  }

  private static List<WorkflowExecutionInfo> newestFirst(Stream<WorkflowExecutionInfo> executions, int limit) {
    return executions
        .sorted(Comparator.comparing(RunListing::startTime, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit)
        .toList();
  }

  /** When the run started, or null when the listing does not say. */
  public static Instant startTime(WorkflowExecutionInfo info) {
    return info.hasStartTime() ? instant(info.getStartTime()) : null;
  }

  /** When the run closed, or null while it runs. */
  public static Instant closeTime(WorkflowExecutionInfo info) {
    return info.hasCloseTime() ? instant(info.getCloseTime()) : null;
  }

  private static boolean matches(WorkflowExecutionInfo run, List<Filter> filters) {
    return filters.stream().allMatch(filter -> filter.value().equals(keyword(run, filter.attribute())));
  }

  private static WorkflowExecutionInfo described(WorkflowServiceBlockingStub service, String namespace,
      WorkflowExecutionInfo run, List<Filter> filters, String complete) {
    boolean described = keyword(run, complete) != null
        && (run.hasCloseTime() || run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        && filters.stream().allMatch(filter -> keyword(run, filter.attribute()) != null);
    if (described) {
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

  private static List<WorkflowExecutionInfo> openAndClosed(WorkflowServiceBlockingStub service, String namespace,
      String workflowType, int limit) {
    WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(workflowType).build();
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
    // The in-memory server's closed list disregards the type filter.
    return Stream.concat(open.stream(), closed.stream())
        .filter(run -> run.getType().getName().equals(workflowType))
        .toList();
  }

  /** A Keyword search attribute; search attributes are never encrypted, so any converter reads them. */
  public static String keyword(WorkflowExecutionInfo info, String name) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(name);
    if (payload == null) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  private static Instant instant(com.google.protobuf.Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
