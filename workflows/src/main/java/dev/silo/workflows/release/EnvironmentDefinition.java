package dev.silo.workflows.release;

import dev.silo.workflows.database.EnvironmentDatabase;
import java.time.Duration;
import java.util.List;

/**
 * One environment file: how a version reaches the environment and where the environment is.
 *
 * @param name the environment, one of {@link #PROMOTION_ORDER}
 * @param autoDeploy whether a new version is deployed without anyone starting it
 * @param requireApproval whether the deployment waits for approvals before changing anything
 * @param approvers who may approve, as written (for example {@code "@devops-lead"}); the requester
 *     of a deployment never counts among them
 * @param minApprovals how many distinct approvers must approve; 1 when not written
 * @param approvalTimeout how long the gate waits before the deployment ends as not approved; null
 *     when not written, leaving the workflow's default
 * @param database the environment's database; null when the file names none, which leaves the
 *     environment to command steps alone (the built-in backup, migrate, sql, rls-test and restore
 *     steps need it, and the deployment's pre-flight says so)
 * @param baseUrl the URL endpoint steps are resolved against; null when the file names none, in
 *     which case only endpoint steps written as full URLs can run
 * @param metricsUrl the Prometheus-compatible HTTP API the watch window reads; null when the
 *     environment has none, which leaves only health-check triggers
 * @param watch the watch window after the health checks ({@code watch_window}, {@code
 *     watch_interval}, {@code error_rate_query}, {@code p99_query}); {@link WatchWindow#DEFAULT}
 *     where not written
 * @param supabaseProject the Supabase project of the environment ({@code supabase_project}),
 *     exported to command steps as {@code SUPABASE_PROJECT}; null when not written
 * @param odooUrl the Odoo server of the environment ({@code odoo_url}), exported to command steps
 *     as {@code ODOO_URL}; null when not written
 * @param allowUnsignedDecisions whether unsigned decisions (the Web UI's signal dialog sends them)
 *     are admitted for this environment even when the worker has an allowed-signers file ({@code
 *     allow_unsigned_decisions}); false when not written. Like the other approval rules it comes
 *     from the protected source, never from the version being deployed
 */
public record EnvironmentDefinition(
    String name,
    boolean autoDeploy,
    boolean requireApproval,
    List<String> approvers,
    int minApprovals,
    Duration approvalTimeout,
    EnvironmentDatabase database,
    String baseUrl,
    String metricsUrl,
    WatchWindow watch,
    String supabaseProject,
    String odooUrl,
    boolean allowUnsignedDecisions) {

  /** The environments a version is promoted through, in order. */
  public static final List<String> PROMOTION_ORDER = List.of("dev", "staging", "uat", "prod");

  /** An environment that admits no unsigned decision, as definitions recorded before the key answer. */
  public EnvironmentDefinition(String name, boolean autoDeploy, boolean requireApproval, List<String> approvers,
      int minApprovals, Duration approvalTimeout, EnvironmentDatabase database, String baseUrl, String metricsUrl,
      WatchWindow watch, String supabaseProject, String odooUrl) {
    this(name, autoDeploy, requireApproval, approvers, minApprovals, approvalTimeout, database, baseUrl, metricsUrl,
        watch, supabaseProject, odooUrl, false);
  }
}
