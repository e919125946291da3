package dev.silo.workflows.power;

import dev.silo.workflows.Failures;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.config.ConfigActivities;
import dev.silo.workflows.config.LoadSiloConfigRequest;
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
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The silo's stop or start: admitted (valid names, its own workflow ID, a verified start), refused
 * when the desk shows the silo was never deployed, then the containers and the six Fly apps'
 * machines side by side, then the desk. New in its own right, so it carries no versioning markers
 * yet; any change to the commands it issues goes behind {@code Workflow.getVersion} from now on.
 */
public class SiloPowerWorkflowImpl implements SiloPowerWorkflow {

  private final FlyActivities fly = Workflow.newActivityStub(FlyActivities.class, PowerActivityOptions.FLY);
  private final ConfigActivities config =
      Workflow.newActivityStub(ConfigActivities.class, SiloActivityOptions.CONFIG);
  private final PowerAudit audit;
  /** How many containers and machines this run stopped or started. */
  private int changed;

  @WorkflowInit
  public SiloPowerWorkflowImpl(SiloPowerRequest request) {
    this.audit = new PowerAudit(request);
  }

  @Override
  public PowerReport power(SiloPowerRequest request) {
    SiloNames names = admit(request);
    PowerAction action = request.action();
    PowerDesk desk = new PowerDesk(audit, names, action);
    String deskStatus = desk.deployedStatus(command(names));
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
      throw audit.failed("not every container and machine of " + names.siloId() + " is " + action.state()
          + "; see the failed entries, then run '" + command(names) + "' again");
    }
    desk.record(deskStatus, changed);
    if (audit.anyFailed()) {
      throw audit.failed("the desk did not record " + names.siloId() + " as " + action.deskStatus()
          + "; run '" + command(names) + "' again");
    }
    return audit.end(PowerStatus.DONE, null);
  }

  @Override
  public PowerReport report() {
    return audit.report();
  }

  /** Refuses a request with bad names, under another workflow ID, or whose start does not verify. */
  private SiloNames admit(SiloPowerRequest request) {
    if (request.action() == null) {
      throw audit.refused("the request names no action: STOP or START");
    }
    List<String> problems = SiloNames.problems(request.client(), request.app());
    if (!problems.isEmpty()) {
      throw audit.refused("invalid silo name: " + String.join("; ", problems));
    }
    SiloNames names = request.names();
    String workflowId = Workflow.getInfo().getWorkflowId();
    if (!workflowId.equals(names.powerWorkflowId())) {
      throw audit.refused("workflow ID '" + workflowId + "' is not allowed for stopping or starting silo " + names.siloId()
          + ": use '" + names.powerWorkflowId() + "' (one at a time per silo)");
    }
    audit.identify(names);
    TrustActivities trust = Workflow.newLocalActivityStub(TrustActivities.class, SiloActivityOptions.TRUST_LOCAL);
    DecisionCheck.Identity requester = DecisionCheck.start(trust.allowedSigners(), workflowId, request.signedText(),
        request.requester(), request.start(), Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
    audit.requester(requester.actor(), requester.signature());
    if (requester.refused()) {
      throw audit.refused(requester.refusal());
    }
    return names;
  }

  /** The command that runs this stop or start again. */
  private String command(SiloNames names) {
    return "silo " + audit.report().action().verb() + " " + names.client() + " " + names.app();
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
}
