package dev.silo.activities.drift;

import dev.silo.activities.temporal.TemporalActivitiesImpl;
import dev.silo.workflows.drift.LastDeployment;
import dev.silo.workflows.drift.LastDeploymentRequest;
import dev.silo.workflows.drift.SiloCheckActivities;
import dev.silo.workflows.silo.SiloReport;
import dev.silo.workflows.silo.SiloStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link SiloCheckActivities} on the worker's own Temporal client.
 *
 * <p>What a deployment recorded is read from the deployment itself rather than from a copy kept
 * elsewhere: the result of the silo's latest run of {@code silo-{client}-{app}} that completed
 * {@code DEPLOYED} is its {@link SiloReport}, kept in the server's history for the namespace's
 * retention and decrypted here by the worker's data converter. A separate record (a file, a desk
 * field) would be a second source of truth that a redeploy could leave stale, and writing one
 * would change the deployment workflow. The runs are found through the visibility store ({@code
 * ListWorkflowExecutions}); servers without one (the embedded server, the test server) answer
 * UNIMPLEMENTED, and the closed-runs list filtered by workflow ID gives the same runs. A report
 * past the namespace's retention is gone: the check then says the silo was never deployed.
 */
public final class SiloCheckActivitiesImpl implements SiloCheckActivities {

  /** How many completed runs are read, newest first, looking for one that deployed. */
  static final int RUNS_READ = 20;

  private final Predicate<String> variableSet;

  /** @param variableSet whether the worker sets a variable, non-blank */
  public SiloCheckActivitiesImpl(Predicate<String> variableSet) {
    this.variableSet = variableSet;
  }

  @Override
  public LastDeployment lastDeployment(LastDeploymentRequest request) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    String workflowId = request.deploymentWorkflowId();
    boolean running = TemporalActivitiesImpl.running(client, workflowId).running();
    for (WorkflowExecutionInfo run : completedRuns(client, workflowId)) {
      String runId = run.getExecution().getRunId();
      SiloReport report = client.newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty())
          .getResult(SiloReport.class);
      if (report != null && report.status() == SiloStatus.DEPLOYED) {
        Activity.getExecutionContext().heartbeat(runId);
        return new LastDeployment(runId, report, running);
      }
    }
    return new LastDeployment(null, null, running);
  }

  @Override
  public boolean webhookConfigured(String variable) {
    return variable != null && variableSet.test(variable.strip());
  }

  /** The completed runs of the workflow ID, newest first. */
  private static List<WorkflowExecutionInfo> completedRuns(WorkflowClient client, String workflowId) {
    String namespace = client.getOptions().getNamespace();
    WorkflowServiceBlockingStub service = client.getWorkflowServiceStubs().blockingStub();
    List<WorkflowExecutionInfo> runs;
    try {
      // The workflow ID is a checked silo name: letters, digits and hyphens, nothing to escape.
      runs = service.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setQuery("WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Completed'")
              .setPageSize(RUNS_READ)
              .build())
          .getExecutionsList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      runs = service.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setExecutionFilter(WorkflowExecutionFilter.newBuilder().setWorkflowId(workflowId))
              .setMaximumPageSize(RUNS_READ)
              .build())
          .getExecutionsList();
    }
    return runs.stream()
        .filter(run -> workflowId.equals(run.getExecution().getWorkflowId()))
        .filter(run -> run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED)
        .sorted(Comparator.comparing((WorkflowExecutionInfo run) -> run.getStartTime().getSeconds())
            .thenComparing(run -> run.getStartTime().getNanos()).reversed())
        .limit(RUNS_READ)
        .toList();
  }
}
