package dev.silo.workflows.silo;

import dev.silo.workflows.Failures;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.config.SiloConfig;
import dev.silo.workflows.docker.ContainerResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Step 6, and every other write to the Service Desk. Each write carries a key derived from the
 * workflow ID (and, for what each run writes, the run ID) and what it records, so a retry or a
 * {@code retryDesk} never records twice, and a later run still updates the silo's status. A set of
 * writes is repeated until the desk acknowledges every one ({@link #untilAcknowledged}): the runbook
 * says never to leave the desk inconsistent.
 */
final class DeskStep implements SiloStep<DeskOutcome> {

  /** The actor the runbook names for the deployer's events. */
  static final String ACTOR = "silo-manager";

  /**
   * The change that gives a stopped run's desk records the same guarantee as a deployed one's:
   * repeated until acknowledged, with NEEDS_ATTENTION and {@code retryDesk} in between.
   */
  static final String DESK_UNTIL_ACKNOWLEDGED = "desk-stop-until-acknowledged";

  /**
   * The change that sends a deployed silo's three desk writes at once instead of one after the
   * other: none needs another's answer.
   */
  static final String DESK_WRITES_SIDE_BY_SIDE = "desk-writes-side-by-side";

  static final StepKey<DeskOutcome> DESK = StepKey.of(StepName.DESK, DeskOutcome.class);

  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final String workflowId;
  private final SiloNames names;
  private final DecisionInbox inbox;

  DeskStep(String workflowId, SiloNames names, DecisionInbox inbox) {
    this.workflowId = workflowId;
    this.names = names;
    this.inbox = inbox;
  }

  /** What the desk records for a deployed silo, taken from the earlier steps. */
  record Provisioned(int containersRunning, String dockerStatus, List<String> configsApplied, int flyServices,
      String branch, String previewUrl, String pgUrl, String anonKey) {}

  @Override
  public StepKey<DeskOutcome> produces() {
    return DESK;
  }

  @Override
  public List<StepKey<?>> needs() {
    return List.of(ValidateStep.VALIDATED, DockerStep.CONTAINERS, FlyStep.FLY, GitStep.BRANCH,
        NetlifyStep.NETLIFY);
  }

  @Override
  public String starting(StepResults results) {
    return "recording the silo as active";
  }

  @Override
  public DeskOutcome run(StepResults results, StepContext context) {
    Provisioned silo = provisioned(results);
    // One timestamp for every attempt: a re-sent write is then identical to the one the desk may
    // already hold, and the status and application record never disagree on when it happened.
    String timestamp = now();
    return untilAcknowledged(StepName.DESK, "recording the silo as active",
        () -> recordProvisioned(silo, timestamp));
  }

  @Override
  public String finished(DeskOutcome result) {
    return "status active, event provisioned, application updated";
  }

  private static Provisioned provisioned(StepResults results) {
    List<ContainerResult> containers = results.get(DockerStep.CONTAINERS).results();
    SiloConfig config = results.get(ValidateStep.VALIDATED).config();
    FlyStep.FlyResult fly = results.get(FlyStep.FLY);
    SiloReport.NetlifyReport netlify = results.get(NetlifyStep.NETLIFY).outcome();
    int up = (int) containers.stream().filter(c -> c.health().isUp()).count();
    List<String> configs = new ArrayList<>();
    configs.add(config.composeFile());
    config.flyApps().forEach(spec -> configs.add(spec.configFile()));
    configs.add("netlify.env.silo");
    return new Provisioned(up, up == containers.size() ? "running" : "degraded", configs, fly.deployments().size(),
        results.get(GitStep.BRANCH).branch(), netlify.previewUrl(), fly.database().displayUrl(),
        fly.keys().anonKey());
  }

  /**
   * Tells the desk that the run stopped (status {@code error} when asked, and the event). Runs
   * started before the change {@value #DESK_UNTIL_ACKNOWLEDGED} tried once, best effort; since it,
   * the writes are repeated as a set until the desk acknowledges them all: the run stays open in
   * NEEDS_ATTENTION, on the step that stopped, until an operator's {@code retryDesk} gets them
   * through. They run in a detached scope, so a cancellation arriving while the run waits cannot
   * end it with the desk half written; a run already cancelled waits the same way before it closes
   * as cancelled.
   */
  DeskOutcome recordStopped(String event, StepName step, String reason, boolean setErrorStatus) {
    String timestamp = now();
    Supplier<DeskOutcome> writes = () -> recordStopped(event, step, reason, setErrorStatus, timestamp);
    if (Workflow.getVersion(DESK_UNTIL_ACKNOWLEDGED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return writes.get();
    }
    AtomicReference<DeskOutcome> acknowledged = new AtomicReference<>();
    Workflow.newDetachedCancellationScope(
        () -> acknowledged.set(untilAcknowledged(step, "recording the " + event + " event", writes))).run();
    return acknowledged.get();
  }

  /**
   * Repeats a set of desk writes (each already attempted three times by its activity's retries)
   * until the desk acknowledges every one, waiting for an operator's {@code retryDesk} between
   * attempts. Every attempt re-sends the whole set with the same keys and contents, so what the
   * desk already holds is not duplicated.
   */
  private DeskOutcome untilAcknowledged(StepName step, String what, Supplier<DeskOutcome> writes) {
    DeskOutcome outcome = writes.get();
    while (!outcome.complete()) {
      inbox.ask(step, SiloStatus.NEEDS_ATTENTION, DecisionInbox.Question.DESK_RETRY,
          SiloDeploymentWorkflow.RETRY_DESK,
          "the desk failed 3 times " + what + " (" + outcome.problem() + "; acknowledged so far: "
              + outcome.acknowledged() + "); fix it, then send retryDesk", null);
      outcome = writes.get();
    }
    return outcome;
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  /**
   * Writes the three records of a deployed silo, each attempted three times (the activity's
   * retries). Since {@value #DESK_WRITES_SIDE_BY_SIDE} the three go out at once, since none needs
   * another, and the attempt ends when all three have answered; runs started before sent them in
   * order and ended the attempt at the first the desk did not acknowledge. Calling it again with the
   * same arguments re-sends the same three writes with the same keys and the same contents, so a
   * write the desk already holds is answered as a duplicate and never applied twice.
   *
   * @param timestamp the deployment time, fixed by the caller across attempts so that every
   *     re-sent write is identical to the first
   * @return what the desk acknowledged in this attempt
   */
  private DeskOutcome recordProvisioned(Provisioned silo, String timestamp) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("containers_count", silo.containersRunning());
    details.put("docker_status", silo.dockerStatus());
    details.put("deployment_timestamp", timestamp);
    UpdateSiloStatusRequest status = new UpdateSiloStatusRequest(names.client(), names.app(), "active", details,
        runKey("status-active"));

    Map<String, Object> provisioned = new LinkedHashMap<>();
    provisioned.put("configs_applied", silo.configsApplied());
    provisioned.put("fly_services", silo.flyServices());
    provisioned.put("silo_branch", silo.branch());
    provisioned.put("silo_preview_url", silo.previewUrl());
    LogSiloEventRequest event = new LogSiloEventRequest(names.client(), names.app(), "provisioned", ACTOR,
        provisioned, key("event-provisioned"));

    Map<String, Object> section = new LinkedHashMap<>();
    section.put("silo_preview_url", silo.previewUrl());
    section.put("silo_deployed_at", timestamp);
    section.put("silo_status", "active");
    section.put("silo_docker_status", silo.dockerStatus());
    section.put("silo_pg_url", silo.pgUrl());
    section.put("silo_anon_key", silo.anonKey());
    // The section itself: the activity puts it under the record's "silo" key (runs before this
    // wrapped it once more, leaving silo.silo.silo_status; readers accept both shapes).
    UpdateApplicationRequest application = new UpdateApplicationRequest(names.client(), names.app(), section,
        runKey("application-silo"));

    if (Workflow.getVersion(DESK_WRITES_SIDE_BY_SIDE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return inOrder(status, event, application);
    }
    return sideBySide(status, event, application);
  }

  private DeskOutcome inOrder(UpdateSiloStatusRequest status, LogSiloEventRequest event,
      UpdateApplicationRequest application) {
    String statusAcknowledged = null;
    String eventAcknowledged = null;
    try {
      desk.updateSiloStatus(status);
      statusAcknowledged = status.status();
      desk.logSiloEvent(event);
      eventAcknowledged = event.event();
      desk.updateApplication(application);
      return new DeskOutcome(statusAcknowledged, eventAcknowledged, true, null);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new DeskOutcome(statusAcknowledged, eventAcknowledged, false, Failures.message(failure));
    }
  }

  /**
   * Sends the three writes at once and waits for every answer, so one write the desk refuses does
   * not keep the others from landing. The problem reported is the first refused in the runbook's
   * order (status, event, application), whatever order the answers came in.
   */
  private DeskOutcome sideBySide(UpdateSiloStatusRequest status, LogSiloEventRequest event,
      UpdateApplicationRequest application) {
    List<Promise<DeskAck>> writes = List.of(Async.function(desk::updateSiloStatus, status),
        Async.function(desk::logSiloEvent, event), Async.function(desk::updateApplication, application));
    List<String> problems = new ArrayList<>();
    boolean[] acknowledged = new boolean[writes.size()];
    for (int i = 0; i < writes.size(); i++) {
      try {
        writes.get(i).get();
        acknowledged[i] = true;
      } catch (ActivityFailure failure) {
        if (Failures.isCancellation(failure)) {
          throw failure;
        }
        problems.add(Failures.message(failure));
      }
    }
    return new DeskOutcome(acknowledged[0] ? status.status() : null, acknowledged[1] ? event.event() : null,
        acknowledged[2], problems.isEmpty() ? null : problems.get(0));
  }

  /**
   * Records that the deployment did not complete: status {@code error} (when asked) and an event,
   * in that order, each attempted three times (the activity's retries). Like {@link
   * #recordProvisioned}, calling it again with the same arguments re-sends the same writes with the
   * same keys, so the caller may repeat it until the desk acknowledges both.
   *
   * @param timestamp when the run stopped, fixed by the caller across attempts
   * @return what the desk acknowledged in this attempt
   */
  private DeskOutcome recordStopped(String event, StepName step, String reason, boolean setErrorStatus,
      String timestamp) {
    String status = null;
    try {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("step", step.name());
      details.put("reason", reason);
      details.put("workflow_id", workflowId);
      if (setErrorStatus) {
        Map<String, Object> error = new LinkedHashMap<>(details);
        error.put("deployment_timestamp", timestamp);
        desk.updateSiloStatus(new UpdateSiloStatusRequest(names.client(), names.app(), "error", error,
            runKey("status-error-" + step.name().toLowerCase())));
        status = "error";
      }
      desk.logSiloEvent(new LogSiloEventRequest(names.client(), names.app(), event, ACTOR, details,
          runKey("event-" + event + "-" + step.name().toLowerCase())));
      return new DeskOutcome(status, event, false, null);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      return new DeskOutcome(status, null, false, Failures.message(failure));
    }
  }

  /**
   * A key for what happens to the silo once in its life: a redeploy of a provisioned silo does not
   * log "provisioned" again.
   */
  private String key(String what) {
    return workflowId + ":desk:" + what;
  }

  /**
   * A key for what each run writes: the silo's status and application record must reflect the
   * latest run (an earlier run's key would make the desk drop them as duplicates), and each failed
   * run is its own event. Retries and {@code retryDesk} within the run reuse it.
   */
  private String runKey(String what) {
    return workflowId + ":" + Workflow.getInfo().getRunId() + ":desk:" + what;
  }
}
