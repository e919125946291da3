package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.ProgressUnavailableException;
import dev.silo.starter.command.RunLookup;
import dev.silo.starter.output.Output;
import dev.silo.workflows.TaskQueues;
import dev.silo.workflows.lock.LockQueue;
import dev.silo.workflows.lock.LockRequest;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.EnvironmentProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code silo release status}: who holds each environment of a project, and who waits on whom. */
@Command(
    name = "status",
    header = "Show, for each environment of a project, the deployment holding it and the ones waiting.",
    description =
        "For each environment in promotion order: the deployment holding it (version, requester, status,"
            + " stage, pending approval, last steps), then the deployments waiting on it, first in line first."
            + " Exit code 3 when an environment's queue or its holder could not be read.")
final class ReleaseStatusCommand extends ReleaseSubcommand {

  /** Shorter than a running run's usual deadline: up to eight questions are asked in a row. */
  private static final Duration QUERY_DEADLINE = Duration.ofSeconds(5);

  ReleaseStatusCommand(CliContext context) {
    super(context);
  }

  @Override
  void check() {
    ReleaseNames.check(project, null, null);
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    List<EnvironmentQueue> environments =
        EnvironmentDefinition.PROMOTION_ORDER.stream().map(environment -> read(target, environment)).toList();
    ProjectReleases releases = new ProjectReleases(project, environments);
    output.document(releases);
    output.text(ReleaseStatusRenderer.render(releases));
    return releases.complete() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }

  private static EnvironmentQueue read(ReleaseTarget target, String environment) {
    String lockId = ReleaseNames.lockWorkflowId(target.project(), environment);
    Optional<LockQueue> queue;
    try {
      queue = target.lockQueue(environment, QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      return new EnvironmentQueue(environment, lockId, Lock.UNAVAILABLE, null, List.of(), unanswered(e));
    }
    if (queue.isEmpty()) {
      return new EnvironmentQueue(environment, lockId, Lock.NO_DEPLOYMENT_YET, null, List.of(), null);
    }
    LockRequest holding = queue.get().holder();
    Holder holder = holding == null ? null : holder(target, holding);
    String waitingOn = holding == null ? lockId : holding.workflowId();
    List<Waiting> waiting = new ArrayList<>();
    for (LockRequest request : queue.get().waiting() == null ? List.<LockRequest>of() : queue.get().waiting()) {
      waiting.add(new Waiting(waiting.size() + 1, request.workflowId(), request.version(), request.requester(),
          request.requestedAt(), waitingOn));
    }
    return new EnvironmentQueue(environment, lockId, holding == null ? Lock.FREE : Lock.HELD, holder, waiting, null);
  }

  private static Holder holder(ReleaseTarget target, LockRequest holding) {
    EnvironmentProgress progress = null;
    String unavailable = null;
    try {
      progress = target.deploymentProgress(holding.workflowId(), null, QUERY_DEADLINE);
    } catch (ProgressUnavailableException e) {
      unavailable = RunLookup.noSuchRun(e) ? "the lock lists it, but the server has no such workflow" : unanswered(e);
    }
    return new Holder(holding.workflowId(), holding.version(), holding.requester(), holding.requestedAt(), progress,
        unavailable);
  }

  private static String unanswered(ProgressUnavailableException e) {
    return e.getMessage() + "; is a worker polling task queue '" + TaskQueues.SILO + "'?";
  }

  /** Whether an environment's lock exists, and whether anyone holds it. */
  enum Lock {
    /** No deployment of the project has asked for the environment yet: its lock does not exist. */
    NO_DEPLOYMENT_YET,
    /** Nobody holds the environment. */
    FREE,
    /** A deployment holds the environment. */
    HELD,
    /** The lock did not answer. */
    UNAVAILABLE
  }

  /**
   * The json output.
   *
   * @param project the project
   * @param environments one entry per environment, in promotion order
   */
  record ProjectReleases(String project, List<EnvironmentQueue> environments) {

    /** Whether every lock and every holder answered. */
    boolean complete() {
      return environments.stream()
          .allMatch(queue -> queue.unavailable() == null
              && (queue.holder() == null || queue.holder().unavailable() == null));
    }
  }

  /**
   * One environment's queue.
   *
   * @param environment the environment
   * @param lockWorkflowId the environment's lock workflow
   * @param lock whether the lock exists and is held
   * @param holder the deployment holding the environment, or null
   * @param waiting the deployments waiting, first in line first
   * @param unavailable why the lock could not be read, or null
   */
  record EnvironmentQueue(String environment, String lockWorkflowId, Lock lock, Holder holder, List<Waiting> waiting,
      String unavailable) {}

  /**
   * The deployment holding an environment.
   *
   * @param workflowId the deployment's workflow ID
   * @param version the version it deploys
   * @param requester who started it
   * @param requestedAt when it asked for the environment, ISO-8601
   * @param progress its progress, or null when it could not be read
   * @param unavailable why its progress could not be read, or null
   */
  record Holder(String workflowId, String version, String requester, String requestedAt, EnvironmentProgress progress,
      String unavailable) {}

  /**
   * A deployment waiting for an environment.
   *
   * @param position its place in line, from 1
   * @param workflowId the deployment's workflow ID
   * @param version the version it deploys
   * @param requester who started it
   * @param requestedAt when it asked, ISO-8601
   * @param waitingOn the holder's workflow ID (the lock's while nobody holds it)
   */
  record Waiting(int position, String workflowId, String version, String requester, String requestedAt,
      String waitingOn) {}
}
