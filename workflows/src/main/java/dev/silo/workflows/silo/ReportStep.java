package dev.silo.workflows.silo;

import dev.silo.workflows.docker.ContainerHealth;
import dev.silo.workflows.docker.ContainerResult;
import dev.silo.workflows.fly.FlyOrganization;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step 7: the runbook's final report, built from the records the steps produced ({@link
 * StepResults}): a completed step's result, what a step that stopped had got done, and what a
 * compensation left. A run that stops early thus reports exactly what it did and undid: the ledger
 * is built from the answers the systems gave, never from which steps ran. What the runner itself
 * learns (where the run stopped, what the desk acknowledged of the stop) it tells this class.
 *
 * <p>It is one unit over 300 lines because the ledger's entries for each system depend on where the
 * run stopped, and one place must decide that for all of them alike.
 */
final class ReportStep {

  private final SiloNames names;
  private final String workflowId;
  private final String requester;
  private StepName stoppedAt;
  private String stopReason;
  private DeskStopped deskStopped;
  private String deskUntouched;

  /** What the desk acknowledged of the records of a run that stopped. */
  private record DeskStopped(String event, boolean errorStatus, DeskOutcome outcome) {}

  ReportStep(SiloNames names, String workflowId, String requester) {
    this.names = names;
    this.workflowId = workflowId;
    this.requester = requester;
  }

  /** The run stopped at this step. */
  void stopped(StepName step, String reason) {
    stoppedAt = step;
    stopReason = reason;
  }

  /**
   * What the desk acknowledged of the records of a run that stopped.
   *
   * @param event the event logged ({@code aborted}, {@code error}, {@code cancelled})
   * @param errorStatus whether the silo's status was to be set to {@code error} too
   * @param outcome what the desk acknowledged
   */
  void deskStopped(String event, boolean errorStatus, DeskOutcome outcome) {
    deskStopped = new DeskStopped(event, errorStatus, outcome);
  }

  /** The run stopped before anything changed, so the desk was not written to. */
  void deskUntouched(String why) {
    deskUntouched = why;
  }

  SiloReport build(SiloStatus status, String failure, StepResults results, DeploymentProgress progress) {
    DockerStep.Containers containers = results.completed(DockerStep.CONTAINERS);
    FlyStep.FlyResult fly = results.completed(FlyStep.FLY);
    BranchResult branch = results.completed(GitStep.BRANCH);
    SiloReport.NetlifyReport netlify = netlifyReport(results);
    return new SiloReport(
        names.siloId(),
        workflowId,
        status,
        failure,
        requester,
        containers == null ? null : containers.taskQueue(),
        containers == null ? List.of() : containers.results(),
        results.reached(FlyStep.FLY) == null ? null : names.flyOrg(),
        flyApps(results),
        fly == null ? List.of() : fly.migrations().applied(),
        connection(fly),
        branch == null ? null : new SiloReport.BranchReport(branch.branch(), branch.commit(), branch.outcome().name()),
        netlify,
        deskUpdated(results),
        progress.decisions(),
        progress.steps(),
        progress.degradedItems(),
        status == SiloStatus.DEPLOYED ? nextSteps(netlify) : List.of(),
        ledger(results),
        progress.planHash());
  }

  /** Whether the desk acknowledged the last set of writes the run sent it. */
  private boolean deskUpdated(StepResults results) {
    if (deskStopped != null) {
      return deskStopped.outcome().complete();
    }
    DeskOutcome provisioned = results.completed(DeskStep.DESK);
    return provisioned != null && provisioned.complete();
  }

  private SiloReport.ConnectionInfo connection(FlyStep.FlyResult fly) {
    if (fly == null) {
      return null;
    }
    return new SiloReport.ConnectionInfo(fly.database().displayUrl(), names.flyUrl("kong"), names.flyUrl("rest"),
        fly.keys().anonKey());
  }

  /** Every system's entries, in the order the runbook reaches the systems. */
  List<LedgerEntry> ledger(StepResults results) {
    List<LedgerEntry> ledger = new ArrayList<>();
    containerEntries(ledger, results.completed(DockerStep.CONTAINERS));
    flyEntries(ledger, results);
    databaseEntries(ledger, results);
    gitEntries(ledger, results.completed(GitStep.BRANCH));
    netlifyEntries(ledger, results.reached(NetlifyStep.NETLIFY));
    deskEntries(ledger, results);
    return List.copyOf(ledger);
  }

  private void deskEntries(List<LedgerEntry> ledger, StepResults results) {
    DeskOutcome provisioned = results.completed(DeskStep.DESK);
    if (provisioned != null) {
      deskProvisioned(ledger, results.get(NetlifyStep.NETLIFY).outcome().previewUrl(), provisioned);
    }
    if (deskStopped != null) {
      deskStopped(ledger, deskStopped);
    } else if (deskUntouched != null) {
      ledger.add(new LedgerEntry(SiloSystem.SERVICE_DESK, "silo status", LedgerAction.SKIPPED, deskUntouched));
    }
  }

  private static void deskProvisioned(List<LedgerEntry> desk, String previewUrl, DeskOutcome outcome) {
    desk.add(outcome.status() != null
        ? deskEntry("silo status", LedgerAction.UPDATED, outcome.status())
        : notAcknowledged("silo status active", outcome));
    desk.add(outcome.event() != null
        ? deskEntry("event " + outcome.event(), LedgerAction.CREATED, null)
        : notAcknowledged("event provisioned", outcome));
    desk.add(outcome.applicationUpdated()
        ? deskEntry("application record", LedgerAction.UPDATED, "silo section: status active, preview URL " + previewUrl)
        : notAcknowledged("application record", outcome));
  }

  private void deskStopped(List<LedgerEntry> desk, DeskStopped stopped) {
    DeskOutcome outcome = stopped.outcome();
    if (stopped.errorStatus()) {
      desk.add(outcome.status() != null
          ? deskEntry("silo status", LedgerAction.UPDATED, outcome.status())
          : notAcknowledged("silo status error", outcome));
    }
    desk.add(outcome.event() != null
        ? deskEntry("event " + outcome.event(), LedgerAction.CREATED, stopReason)
        : notAcknowledged("event " + stopped.event(), outcome));
  }

  private static LedgerEntry deskEntry(String item, LedgerAction action, String detail) {
    return new LedgerEntry(SiloSystem.SERVICE_DESK, item, action, detail);
  }

  private static LedgerEntry notAcknowledged(String item, DeskOutcome outcome) {
    return deskEntry(item, LedgerAction.FAILED, "not acknowledged: " + outcome.problem());
  }

  private void containerEntries(List<LedgerEntry> ledger, DockerStep.Containers done) {
    List<ContainerResult> containers = done == null ? List.of() : done.results();
    for (ContainerResult container : containers) {
      String item = container.containerName() != null ? container.containerName() : container.service();
      LedgerAction action = switch (container.health()) {
        case HEALTHY, RUNNING -> upAction(container.createdByThisRun());
        case SKIPPED -> LedgerAction.SKIPPED;
        case UNHEALTHY, FAILED -> LedgerAction.FAILED;
      };
      // A skipped container's action says it all but why; the others say where they ended up.
      String detail = container.health() == ContainerHealth.SKIPPED ? container.message()
          : container.health().name().toLowerCase() + (container.message() == null ? "" : ": " + container.message());
      ledger.add(new LedgerEntry(SiloSystem.CONTAINERS, item, action, detail));
    }
    if (stoppedAt == StepName.DOCKER && containers.isEmpty()) {
      ledger.add(new LedgerEntry(SiloSystem.CONTAINERS, names.composeProject(), LedgerAction.FAILED, stopReason));
    }
  }

  /**
   * A container that is up was created by this run (possibly replacing an outdated one) or found;
   * a result recorded before results said which is ensured.
   */
  private static LedgerAction upAction(Boolean createdByThisRun) {
    if (createdByThisRun == null) {
      return LedgerAction.ENSURED;
    }
    return createdByThisRun ? LedgerAction.CREATED : LedgerAction.FOUND;
  }

  private void flyEntries(List<LedgerEntry> ledger, StepResults results) {
    FlyStep.FlyResult whenStopped = results.reached(FlyStep.FLY);
    if (whenStopped == null) {
      return;
    }
    FlyStep.FlyResult fly = results.afterCompensation(FlyStep.FLY);
    FlyOrganization organization = fly.organization();
    if (organization != null) {
      ledger.add(new LedgerEntry(SiloSystem.FLY, "organization " + organization.slug(),
          organization.created() ? LedgerAction.CREATED : LedgerAction.FOUND, null));
    } else if (stoppedAt == StepName.FLY) {
      ledger.add(new LedgerEntry(SiloSystem.FLY, "organization " + names.flyOrg(), LedgerAction.FAILED, stopReason));
    }
    Map<String, String> states = fly.appStates();
    Map<String, String> before = whenStopped.appStates();
    for (String service : SiloNames.FLY_SERVICES) {
      String app = names.flyApp(service);
      String state = states.get(app);
      if (state == null) {
        if (organization != null) {
          ledger.add(new LedgerEntry(SiloSystem.FLY, names.flyUrl(service), LedgerAction.SKIPPED,
              "not deployed: the run stopped first"));
        }
        continue;
      }
      ledger.add(flyApp(names.flyUrl(service), state, before.get(app), fly.existedBefore().contains(app)));
    }
  }

  private LedgerEntry flyApp(String url, String state, String stateWhenStopped, boolean existedBefore) {
    String how = stateWhenStopped == null ? "created by this run"
        : "failed".equals(stateWhenStopped) ? "its deploy failed" : "started";
    if (state.equals("started")) {
      return new LedgerEntry(SiloSystem.FLY, url, existedBefore ? LedgerAction.FOUND : LedgerAction.CREATED,
          existedBefore ? "existed before this run; started" : "started");
    }
    if (state.equals("destroyed")) {
      return new LedgerEntry(SiloSystem.FLY, url, LedgerAction.REMOVED, how + "; destroyed by the rollback");
    }
    if (state.startsWith("kept")) {
      return new LedgerEntry(SiloSystem.FLY, url, LedgerAction.FOUND, how + "; kept: it existed before this run");
    }
    if (state.equals(FlyStep.NOT_CREATED)) {
      return new LedgerEntry(SiloSystem.FLY, url, LedgerAction.FAILED,
          "its create failed; not created, so the rollback had nothing to destroy");
    }
    if (state.startsWith("destroy failed")) {
      return new LedgerEntry(SiloSystem.FLY, url, LedgerAction.FAILED,
          "created by this run; " + state + ": remove it by hand");
    }
    return new LedgerEntry(SiloSystem.FLY, url, LedgerAction.FAILED, state);
  }

  private void databaseEntries(List<LedgerEntry> ledger, StepResults results) {
    FlyStep.FlyResult fly = results.completed(FlyStep.FLY);
    if (fly != null) {
      fly.migrations().applied().forEach(version ->
          ledger.add(new LedgerEntry(SiloSystem.DATABASE, "migration " + version, LedgerAction.CREATED, "applied")));
      fly.migrations().alreadyApplied().forEach(version ->
          ledger.add(new LedgerEntry(SiloSystem.DATABASE, "migration " + version, LedgerAction.FOUND,
              "already applied")));
      ledger.add(new LedgerEntry(SiloSystem.DATABASE, "API keys", LedgerAction.CREATED,
          "anon and service_role keys minted from the silo's JWT secret"));
      return;
    }
    FlyStep.FlyResult whenStopped = results.reached(FlyStep.FLY);
    if (stoppedAt != StepName.FLY || whenStopped == null) {
      return;
    }
    Map<String, String> flyStatesWhenStopped = whenStopped.appStates();
    boolean everyAppStarted = flyStatesWhenStopped.size() == SiloNames.FLY_SERVICES.size()
        && flyStatesWhenStopped.values().stream().allMatch("started"::equals);
    ledger.add(everyAppStarted
        ? new LedgerEntry(SiloSystem.DATABASE, "migrations and API keys", LedgerAction.FAILED, stopReason)
        : new LedgerEntry(SiloSystem.DATABASE, "migrations and API keys", LedgerAction.SKIPPED,
            "not attempted: the Fly apps did not all start"));
  }

  private void gitEntries(List<LedgerEntry> ledger, BranchResult branch) {
    if (branch != null) {
      LedgerAction action = switch (branch.outcome()) {
        case CREATED -> LedgerAction.CREATED;
        case ALREADY_AT_COMMIT -> LedgerAction.FOUND;
        case OVERWRITTEN -> LedgerAction.UPDATED;
        case DELETED -> LedgerAction.REMOVED;
        case ABSENT -> LedgerAction.SKIPPED;
      };
      String detail = "at " + branch.commit()
          + (branch.outcome() == BranchOutcome.OVERWRITTEN
              ? ", force-pushed over " + branch.previousCommit() : "");
      ledger.add(new LedgerEntry(SiloSystem.GIT, "branch " + branch.branch(), action, detail));
    } else if (stoppedAt == StepName.GIT) {
      ledger.add(new LedgerEntry(SiloSystem.GIT, "branch " + names.branch(), LedgerAction.FAILED, stopReason));
    }
  }

  private void netlifyEntries(List<LedgerEntry> ledger, NetlifyStep.NetlifyResult netlifyStep) {
    if (netlifyStep == null) {
      return;
    }
    SiloReport.NetlifyReport netlify = netlifyStep.outcome();
    String failure = netlifyStep.failure();
    NetlifyBranchConfig config = netlifyStep.config();
    if (config == null) {
      if (failure != null) {
        ledger.add(new LedgerEntry(SiloSystem.NETLIFY, "branch deploys of " + names.branch(), LedgerAction.FAILED,
            failure));
      }
      return;
    }
    ledger.add(new LedgerEntry(SiloSystem.NETLIFY, "branch deploys of " + config.branch(),
        config.alreadyConfigured() ? LedgerAction.FOUND : LedgerAction.CREATED,
        config.alreadyConfigured() ? "configured by an earlier run; nothing written"
            : "branch allowed, its variables set"));
    BranchBuild build = netlifyStep.build();
    if (build == null) {
      if (failure != null) {
        ledger.add(new LedgerEntry(SiloSystem.NETLIFY, "build of " + config.branch(), LedgerAction.FAILED, failure));
      } else if (netlify != null) {
        ledger.add(new LedgerEntry(SiloSystem.NETLIFY, "build of " + config.branch(), LedgerAction.SKIPPED,
            "not built: configured by an earlier run, and this run started before every run built its branch"));
      } else if (stopReason != null) {
        ledger.add(new LedgerEntry(SiloSystem.NETLIFY, "build of " + config.branch(), LedgerAction.SKIPPED,
            "not built: " + stopReason));
      }
      return;
    }
    String item = "deploy " + build.deployId() + " (build " + build.buildId() + ")";
    LedgerAction action = build.triggeredWithKey() ? LedgerAction.CREATED : LedgerAction.FOUND;
    String found = build.triggeredWithKey() ? "" : "found " + build.state() + "; ";
    if (netlifyStep.deploy() != null) {
      ledger.add(new LedgerEntry(SiloSystem.NETLIFY, item, action,
          found + "ready at " + netlifyStep.deploy().previewUrl()));
    } else {
      ledger.add(new LedgerEntry(SiloSystem.NETLIFY, item, LedgerAction.FAILED,
          (build.triggeredWithKey() ? "triggered by this run; " : found)
              + (failure != null ? failure : stopReason != null ? "not ready: " + stopReason : "not ready")));
    }
  }

  /**
   * The Netlify outcome: the branch's preview URL once the branch is configured, and the deploy only
   * once it is ready, so a failed build never shows as live.
   */
  private static SiloReport.NetlifyReport netlifyReport(StepResults results) {
    NetlifyStep.NetlifyResult netlifyStep = results.reached(NetlifyStep.NETLIFY);
    if (netlifyStep == null || netlifyStep.outcome() != null || netlifyStep.config() == null) {
      return netlifyStep == null ? null : netlifyStep.outcome();
    }
    NetlifyBranchConfig config = netlifyStep.config();
    return new SiloReport.NetlifyReport(config.branch(), config.previewUrl(), config.alreadyConfigured(), null);
  }

  private List<SiloReport.FlyAppReport> flyApps(StepResults results) {
    FlyStep.FlyResult fly = results.afterCompensation(FlyStep.FLY);
    if (fly == null) {
      return List.of();
    }
    Map<String, String> states = fly.appStates();
    List<SiloReport.FlyAppReport> apps = new ArrayList<>();
    for (String service : SiloNames.FLY_SERVICES) {
      String app = names.flyApp(service);
      String state = states.getOrDefault(app, "not deployed");
      apps.add(new SiloReport.FlyAppReport(app, names.flyUrl(service), state,
          !fly.existedBefore().contains(app) && states.containsKey(app) && !FlyStep.NOT_CREATED.equals(state)));
    }
    return apps;
  }

  private List<String> nextSteps(SiloReport.NetlifyReport netlify) {
    String silo = names.siloId();
    return List.of(
        "Create Slack channels: #silo-" + silo + ", #silo-" + silo + "-alerts",
        "Share the preview URL with the client" + (netlify == null ? "" : ": " + netlify.previewUrl()),
        "Notify dev-workers: branch " + names.branch() + " is ready for pushes",
        "dev-workers push code -> Netlify deploys the branch automatically (no manual configuration, ever)");
  }
}
