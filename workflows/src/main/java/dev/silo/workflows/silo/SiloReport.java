package dev.silo.workflows.silo;

import dev.silo.workflows.decision.DecisionRecord;
import dev.silo.workflows.docker.ContainerResult;
import java.util.List;

/**
 * The runbook's final report, plus the audit trail, the timings and what was degraded. It never
 * holds a secret: the database URL has no password and the service_role key is not in it.
 *
 * @param siloId {@code {client}-{app}}
 * @param workflowId the run's workflow ID
 * @param status how the deployment ended
 * @param failure why it did not deploy, or null
 * @param requester who asked for it
 * @param dockerTaskQueue the task queue whose worker ran the containers, or null when step 2 did not
 *     run them (the run stopped before it, or no engine served the deployment)
 * @param containers each Compose service and where it ended up
 * @param flyOrg the Fly organization, or null when step 3 did not run
 * @param flyApps each Fly app with its stable URL and state
 * @param migrationsApplied the migration versions this run applied
 * @param connection the connection info for the silo's developers, or null
 * @param branch the Git branch outcome, or null
 * @param netlify the Netlify outcome, or null when the branch was not configured; its deploy is
 *     null unless a deploy of the branch is ready
 * @param deskUpdated whether the desk acknowledged the final status and event
 * @param decisions every signal received, accepted or not
 * @param steps each step's state and timings
 * @param degraded what the deployment went on without
 * @param nextSteps the runbook's next steps for people
 * @param ledger per system, in the runbook's order, what this run created, found already there,
 *     changed, removed, failed to do or skipped, as the systems answered; the same in every outcome
 * @param planHash the hash of the plan approved or refused, which signed decisions name; null
 *     before a plan existed, and in runs started before decisions were signed
 */
public record SiloReport(
    String siloId,
    String workflowId,
    SiloStatus status,
    String failure,
    String requester,
    String dockerTaskQueue,
    List<ContainerResult> containers,
    String flyOrg,
    List<FlyAppReport> flyApps,
    List<String> migrationsApplied,
    ConnectionInfo connection,
    BranchReport branch,
    NetlifyReport netlify,
    boolean deskUpdated,
    List<DecisionRecord> decisions,
    List<StepProgress> steps,
    List<DegradedItem> degraded,
    List<String> nextSteps,
    List<LedgerEntry> ledger,
    String planHash) {

  /**
   * @param appName the Fly app
   * @param url its stable URL
   * @param state {@code started}, {@code destroyed}, {@code failed}, {@code kept}
   * @param createdByThisRun whether this run created it
   */
  public record FlyAppReport(String appName, String url, String state, boolean createdByThisRun) {}

  /**
   * @param pgUrl the database URL without its password
   * @param apiUrl the API gateway URL (kong)
   * @param restUrl the REST URL
   * @param anonKey the public anon key
   */
  public record ConnectionInfo(String pgUrl, String apiUrl, String restUrl, String anonKey) {}

  /**
   * @param name the branch
   * @param commit the commit it points at
   * @param outcome {@code CREATED}, {@code ALREADY_AT_COMMIT}, {@code OVERWRITTEN}
   */
  public record BranchReport(String name, String commit, String outcome) {}

  /**
   * @param branch the branch Netlify deploys
   * @param previewUrl the preview URL
   * @param alreadyConfigured true when an earlier run had configured it and nothing was changed
   * @param deployId the ready deploy of the branch (built by this run or found), or null when none is
   *     ready
   */
  public record NetlifyReport(String branch, String previewUrl, boolean alreadyConfigured, String deployId) {}
}
