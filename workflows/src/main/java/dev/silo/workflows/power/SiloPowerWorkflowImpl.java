package dev.silo.workflows.power;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.Failures;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
import dev.silo.workflows.desk.DeskAck;
import dev.silo.workflows.desk.DeskActivities;
import dev.silo.workflows.desk.DeskApplication;
import dev.silo.workflows.desk.GetApplicationRequest;
import dev.silo.workflows.desk.LogSiloEventRequest;
import dev.silo.workflows.desk.UpdateApplicationRequest;
import dev.silo.workflows.desk.UpdateSiloStatusRequest;
import dev.silo.workflows.docker.ContainerPower;
import dev.silo.workflows.docker.ContainersPowered;
import dev.silo.workflows.docker.DockerActivities;
import dev.silo.workflows.docker.PowerContainersRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyAppPowered;
import dev.silo.workflows.fly.MachinePower;
import dev.silo.workflows.fly.PowerFlyAppRequest;
import dev.silo.workflows.signing.DecisionCheck;
import dev.silo.workflows.signing.TrustActivities;
import dev.silo.workflows.silo.DockerTaskQueue;
import dev.silo.workflows.silo.SiloActivityOptions;
import dev.silo.workflows.silo.SiloNames;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The silo's stop or start: admitted (valid names, its own workflow ID, a verified start), refused
 * when the desk shows the silo was never deployed, then the containers and the six Fly apps'
 * machines side by side, then the desk. New in its own right, so it carries no versioning markers
 * yet; any change to the commands it issues goes behind {@code Workflow.getVersion} from now on.
 */
public class SiloPowerWorkflowImpl implements SiloPowerWorkflow {

  /** The actor the runbook names for the deployer's events, as the deployment records it. */
  static final String ACTOR = "silo-manager";

  private final DeskActivities desk = Workflow.newActivityStub(DeskActivities.class, SiloActivityOptions.DESK);
  private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, PowerActivityOptions.FLY);
  private final ConfigActivities config =
      Workflow.newActivityStub(ConfigActivities.class, SiloActivityOptions.CONFIG);
  private final PowerAudit audit;
  private boolean identified;
  /** How many containers and machines this run stopped or started. */
  private int changed;
  /** The desk's silo section as read at the start; it is written back with the new status. */
  private Map<String, Object> section;

  @WorkflowInit
  public SiloPowerWorkflowImpl(SiloPowerRequest request) {
    this.audit = new PowerAudit(request);
  }

  @Override
  public PowerReport power(SiloPowerRequest request) {
    SiloNames names = admit(request);
    PowerAction action = request.action();
    String deskStatus = deployedStatus(names);
    Promise<Void> containers = Async.procedure(() -> containers(request, names));
    List<Promise<Void>> apps = new ArrayList<>();
    for (String service : SiloNames.FLY_SERVICES) {
      apps.add(Async.procedure(() -> machines(action, names, names.flyApp(service))));
    }
    containers.get();
    Promise.allOf(apps).get();
    if (audit.anyFailed()) {
      audit.record("desk", "silo status", "unchanged", "left " + deskStatus + ": not everything is "
          + action.state());
      throw failed("not every container and machine of " + names.siloId() + " is " + action.state()
          + "; see the failed entries, then run 'silo " + action.verb() + " " + names.client() + " " + names.app()
          + "' again");
    }
    recordInDesk(names, action, deskStatus);
    if (audit.anyFailed()) {
      throw failed("the desk did not record " + names.siloId() + " as " + action.deskStatus()
          + "; run 'silo " + action.verb() + " " + names.client() + " " + names.app() + "' again");
    }
    return audit.end(PowerStatus.DONE, null, identified);
  }

  @Override
  public PowerReport report() {
    return audit.report();
  }

  /** Refuses a request with bad names, under another workflow ID, or whose start does not verify. */
  private SiloNames admit(SiloPowerRequest request) {
    if (request.action() == null) {
      throw refused("the request names no action: STOP or START");
    }
    List<String> problems = SiloNames.problems(request.client(), request.app());
    if (!problems.isEmpty()) {
      throw refused("invalid silo name: " + String.join("; ", problems));
    }
    SiloNames names = request.names();
    String workflowId = Workflow.getInfo().getWorkflowId();
    if (!workflowId.equals(names.powerWorkflowId())) {
      throw refused("workflow ID '" + workflowId + "' is not allowed for stopping or starting silo " + names.siloId()
          + ": use '" + names.powerWorkflowId() + "' (one at a time per silo)");
    }
    audit.identify(names);
    identified = true;
    TrustActivities trust = Workflow.newLocalActivityStub(TrustActivities.class, SiloActivityOptions.TRUST_LOCAL);
    DecisionCheck.Identity requester = DecisionCheck.start(trust.allowedSigners(), workflowId, request.signedText(),
        request.requester(), request.start(), Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
    audit.requester(requester.actor(), requester.signature());
    if (requester.refused()) {
      throw refused(requester.refusal());
    }
    return names;
  }

  /**
   * The silo's status in the desk; refuses a silo the desk shows as never deployed (or
   * decommissioned since).
   */
  private String deployedStatus(SiloNames names) {
    DeskApplication application;
    try {
      application = desk.getApplication(new GetApplicationRequest(names.client(), names.app()));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure cause
          && FailureType.NOT_FOUND.type().equals(cause.getType())) {
        throw refused("silo " + names.siloId() + " was never deployed: the desk has no application "
            + names.client() + "/" + names.app());
      }
      throw failure;
    }
    Map<String, Object> section = DeskSiloSection.of(application);
    Object status = section.get("silo_status");
    if (section.isEmpty() || !(status instanceof String text) || text.isBlank()
        || "decommissioned".equals(text)) {
      String why = "decommissioned".equals(status) ? "it was decommissioned" : "the desk holds no silo record for it";
      throw refused("silo " + names.siloId() + " was never deployed (" + why + "): deploy it with 'silo deploy "
          + names.client() + " " + names.app() + "'");
    }
    audit.record("desk", "silo status", "read", text);
    this.section = section;
    return text;
  }

  private void containers(SiloPowerRequest request, SiloNames names) {
    String project = names.composeProject();
    if (request.skipContainers()) {
      audit.record("docker", project, "skipped", "no container engine serves this silo (skip containers)");
      return;
    }
    String queue = dockerTaskQueue(request, names);
    audit.dockerTaskQueue(queue);
    DockerActivities docker = Workflow.newActivityStub(DockerActivities.class,
        ActivityOptions.newBuilder(PowerActivityOptions.DOCKER).setTaskQueue(queue).build());
    ContainersPowered powered;
    try {
      PowerContainersRequest containers = new PowerContainersRequest(project);
      powered = request.action() == PowerAction.STOP ? docker.stopContainers(containers)
          : docker.startContainers(containers);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("docker", project, "failed", "on task queue " + queue + ": " + Failures.message(failure));
      return;
    }
    if (powered.containers().isEmpty()) {
      boolean start = request.action() == PowerAction.START;
      audit.record("docker", project, start ? "failed" : "no containers", "the engine behind task queue " + queue
          + " holds no container of the project" + (start ? ": deploy the silo again, or skip containers" : ""));
    }
    for (ContainerPower container : powered.containers()) {
      String outcome = container.problem() != null ? "failed"
          : container.changed() ? request.action().event() : "already " + request.action().state();
      String detail = container.before() + " -> " + container.after()
          + (container.problem() == null ? "" : ": " + container.problem());
      audit.record("docker", container.container(), outcome, detail);
      changed += container.changed() ? 1 : 0;
    }
  }

  /**
   * The request's queue, else the one the silo's {@code silo.yml} names, else the default; a config
   * that cannot be read is noted and the default used, since stopping must not depend on it.
   */
  private String dockerTaskQueue(SiloPowerRequest request, SiloNames names) {
    if (request.dockerTaskQueue() != null) {
      return request.dockerTaskQueue();
    }
    try {
      return DockerTaskQueue.resolve(null,
          config.loadSiloConfig(new LoadSiloConfigRequest(null, names.client(), names.app())).dockerTaskQueue());
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("docker", "task queue", TaskQueues.DOCKER, "the silo's config could not be read ("
          + Failures.message(failure) + "); the default queue is used");
      return TaskQueues.DOCKER;
    }
  }

  private void machines(PowerAction action, SiloNames names, String app) {
    FlyAppPowered powered;
    try {
      PowerFlyAppRequest request = new PowerFlyAppRequest(app, names.flyOrg());
      powered = action == PowerAction.STOP ? fly.stopMachines(request) : fly.startMachines(request);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("fly", app, "failed", Failures.message(failure));
      return;
    }
    boolean start = action == PowerAction.START;
    if (!powered.found()) {
      audit.record("fly", app, start ? "failed" : "absent", "Fly does not know the app"
          + (start ? ": deploy the silo again" : ""));
      return;
    }
    if (powered.machines().isEmpty()) {
      audit.record("fly", app, start ? "failed" : "no machines", "the app has no machine"
          + (start ? ": deploy the silo again" : ""));
    }
    for (MachinePower machine : powered.machines()) {
      audit.record("fly", app + "/" + machine.machineId(),
          machine.changed() ? action.event() : "already " + action.state(), machine.before() + " -> " + machine.after());
      changed += machine.changed() ? 1 : 0;
    }
  }

  /**
   * The silo's status, an event and the application's silo section, side by side, each keyed by
   * this run so that a retry never records twice. Nothing is written when nothing changed and the
   * desk already says so: a second stop of a stopped silo leaves no second event.
   */
  private void recordInDesk(SiloNames names, PowerAction action, String deskStatus) {
    if (changed == 0 && action.deskStatus().equals(deskStatus)) {
      audit.record("desk", "silo status", "unchanged", "already " + deskStatus + " and nothing changed; nothing written");
      return;
    }
    String timestamp = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("action", action.verb());
    details.put("requested_by", audit.requester());
    details.put("changed", changed);
    details.put("timestamp", timestamp);
    details.put("workflow_id", Workflow.getInfo().getWorkflowId());
    Map<String, Object> written = new LinkedHashMap<>(section);
    written.put("silo_status", action.deskStatus());
    written.put("silo_status_changed_at", timestamp);
    Promise<DeskAck> status = Async.function(desk::updateSiloStatus, new UpdateSiloStatusRequest(names.client(),
        names.app(), action.deskStatus(), details, key("status-" + action.deskStatus())));
    Promise<DeskAck> event = Async.function(desk::logSiloEvent, new LogSiloEventRequest(names.client(), names.app(),
        action.event(), ACTOR, details, key("event-" + action.event())));
    Promise<DeskAck> record = Async.function(desk::updateApplication, new UpdateApplicationRequest(names.client(),
        names.app(), written, key("application-silo")));
    deskWrite(status, "silo status", deskStatus + " -> " + action.deskStatus());
    deskWrite(event, "event " + action.event(), "actor " + ACTOR + ", requested by " + audit.requester());
    deskWrite(record, "application silo section", "silo_status " + action.deskStatus());
  }

  private void deskWrite(Promise<DeskAck> write, String target, String detail) {
    try {
      DeskAck ack = write.get();
      audit.record("desk", target, ack.duplicate() ? "already written" : "written", detail);
    } catch (ActivityFailure failure) {
      if (Failures.isCancellation(failure)) {
        throw failure;
      }
      audit.record("desk", target, "failed", Failures.message(failure));
    }
  }

  private String key(String what) {
    return Workflow.getInfo().getWorkflowId() + ":" + Workflow.getInfo().getRunId() + ":desk:" + what;
  }

  private ApplicationFailure refused(String reason) {
    PowerReport report = audit.end(PowerStatus.REFUSED, reason, identified);
    return ApplicationFailure.newNonRetryableFailure(reason, FailureType.INVALID_REQUEST.type(), report);
  }

  private ApplicationFailure failed(String reason) {
    PowerReport report = audit.end(PowerStatus.FAILED, reason, identified);
    return ApplicationFailure.newNonRetryableFailure(reason, FailureType.SILO_POWER_FAILED.type(), report);
  }
}
