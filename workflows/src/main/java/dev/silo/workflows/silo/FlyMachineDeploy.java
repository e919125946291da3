package dev.silo.workflows.silo;

import dev.silo.workflows.fly.DeployFlyAppRequest;
import dev.silo.workflows.fly.FlyActivities;
import dev.silo.workflows.fly.FlyDeployment;
import dev.silo.workflows.fly.FlyMachine;
import io.temporal.workflow.Workflow;

/**
 * How the Fly step deploys one app's machine. Submitting the machine and waiting for it are two
 * activities ({@link #SUBMIT_THEN_AWAIT}): the submit holds a worker slot for a few API calls, the
 * wait holds none, so a fleet of booting machines no longer starves every other activity of slots.
 * Runs that started before call {@code DeployApp}, which does both in one activity that holds its
 * slot throughout, and keep doing so on replay.
 */
final class FlyMachineDeploy {

  /** Marks the runs that submit a machine and then wait for it in a second activity. */
  static final String SUBMIT_THEN_AWAIT = "fly-submit-then-await";

  private final FlyActivities submit = Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_API);
  private final FlyActivities await = Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_AWAIT);
  private final FlyActivities deployInOne =
      Workflow.newActivityStub(FlyActivities.class, SiloActivityOptions.FLY_DEPLOY);
  private final boolean split;

  /** Decides, once per run and before any machine is submitted, which way this run deploys. */
  FlyMachineDeploy() {
    split = Workflow.getVersion(SUBMIT_THEN_AWAIT, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
  }

  /** The app's machine, started and with its checks passing. */
  FlyDeployment deploy(DeployFlyAppRequest request) {
    if (!split) {
      return deployInOne.deployApp(request);
    }
    FlyMachine machine = submit.submitMachine(request);
    return await.awaitMachine(machine);
  }
}
