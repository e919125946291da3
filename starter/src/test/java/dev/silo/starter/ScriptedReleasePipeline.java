package dev.silo.starter;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.EnvironmentDeploymentRequest;
import dev.silo.workflows.release.EnvironmentDeploymentWorkflow;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentSlot;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.PreparedRelease;
import dev.silo.workflows.release.ReleaseDefinition;
import dev.silo.workflows.release.ReleasePipelineWorkflow;
import dev.silo.workflows.release.ReleaseProgress;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseRequest;
import dev.silo.workflows.release.ReleaseStatus;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-only promotion: one {@link ScriptedEnvironmentDeployment} per environment up to the
 * target, in order, the next only after the previous one succeeded; it fails with {@code
 * RELEASE_FAILED} carrying the report otherwise, as the contract says. dev needs no approval,
 * staging two of alice, carol and dave, uat and prod one.
 */
public class ScriptedReleasePipeline implements ReleasePipelineWorkflow {

  static final String COMMIT = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";

  private static final List<EnvironmentDefinition> ENVIRONMENTS = List.of(
      environment("dev", false, List.of(), 0),
      environment("staging", true, List.of("alice", "carol", "dave"), 2),
      environment("uat", true, List.of("alice"), 1),
      environment("prod", true, List.of("alice", "carol"), 1));

  private final ReleaseRequest request;
  private final List<EnvironmentSlot> slots = new ArrayList<>();
  private ReleaseStatus status = ReleaseStatus.RUNNING;
  private ReleaseReport report;

  @WorkflowInit
  public ScriptedReleasePipeline(ReleaseRequest request) {
    this.request = request;
    int target = EnvironmentDefinition.PROMOTION_ORDER.indexOf(request.target());
    for (String environment : EnvironmentDefinition.PROMOTION_ORDER.subList(0, target + 1)) {
      slots.add(new EnvironmentSlot(environment,
          EnvironmentDeploymentWorkflow.workflowId(Workflow.getInfo().getWorkflowId(), environment),
          EnvironmentStatus.PENDING));
    }
  }

  @Override
  public ReleaseReport release(ReleaseRequest request) {
    PreparedRelease prepared = new PreparedRelease("https://git.example/" + request.project(), COMMIT,
        new ReleaseDefinition(null, ENVIRONMENTS), Map.of(), Map.of());
    List<EnvironmentReport> reports = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      EnvironmentSlot slot = slots.get(i);
      slots.set(i, new EnvironmentSlot(slot.environment(), slot.workflowId(), EnvironmentStatus.RUNNING));
      EnvironmentReport environmentReport = deploy(slot, prepared);
      reports.add(environmentReport);
      slots.set(i, new EnvironmentSlot(slot.environment(), slot.workflowId(), environmentReport.status()));
      if (environmentReport.status() != EnvironmentStatus.SUCCEEDED) {
        String reason = slot.environment() + " " + environmentReport.status() + ": " + environmentReport.reason();
        throw ApplicationFailure.newNonRetryableFailure("release " + request.version() + " stopped: " + reason,
            FailureType.RELEASE_FAILED.type(), finish(ReleaseStatus.STOPPED, reason, reports));
      }
    }
    return finish(ReleaseStatus.SUCCEEDED, null, reports);
  }

  private EnvironmentReport deploy(EnvironmentSlot slot, PreparedRelease prepared) {
    EnvironmentDeploymentWorkflow child = Workflow.newChildWorkflowStub(EnvironmentDeploymentWorkflow.class,
        ChildWorkflowOptions.newBuilder().setWorkflowId(slot.workflowId()).build());
    try {
      return child.deploy(new EnvironmentDeploymentRequest(request.project(), request.version(), slot.environment(),
          request.requester(), request.automatic(), prepared));
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure application) {
        return application.getDetails().get(EnvironmentReport.class);
      }
      throw failure;
    }
  }

  private ReleaseReport finish(ReleaseStatus outcome, String reason, List<EnvironmentReport> reports) {
    status = outcome;
    List<String> notRun = slots.stream()
        .filter(slot -> slot.status() == EnvironmentStatus.PENDING)
        .map(EnvironmentSlot::environment)
        .toList();
    report = new ReleaseReport(request.project(), request.version(), request.target(), request.requester(),
        request.automatic(), COMMIT, outcome, reason, List.copyOf(reports), notRun);
    return report;
  }

  @Override
  public ReleaseProgress progress() {
    return new ReleaseProgress(request.project(), request.version(), request.target(), request.requester(), COMMIT,
        status, List.copyOf(slots), report);
  }

  private static EnvironmentDefinition environment(String name, boolean approval, List<String> approvers, int min) {
    return new EnvironmentDefinition(name, false, approval, approvers, min, null, null, null, null, null, null, null);
  }
}
