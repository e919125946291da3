package dev.silo.workflows.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an environment lacks to run the pipeline, stated in pre-flight before anything changes. An
 * environment file may leave out its database and base URL (the runbook's do: they deploy through
 * the Supabase CLI); then a step that cannot run without them stops the deployment here, and a
 * command that would run without what it reads is a warning.
 *
 * @param missing what makes a step impossible; any entry stops the deployment
 * @param warnings what a step will run without
 */
record EnvironmentReadiness(List<String> missing, List<String> warnings) {

  private static final List<StepKind> DATABASE_KINDS =
      List.of(StepKind.BACKUP, StepKind.MIGRATE, StepKind.SQL, StepKind.RLS_TEST, StepKind.RESTORE);
  private static final Pattern PSQL = Pattern.compile("(^|[\\s;&|(])(psql|pg_dump|pg_restore)(\\s|$)");
  private static final Pattern SUPABASE = Pattern.compile("(^|[\\s;&|(])supabase(\\s|$)");

  /** Reads the pipeline against the environment. */
  static EnvironmentReadiness of(ReleasePipeline pipeline, EnvironmentDefinition environment) {
    List<String> missing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> supabaseSteps = new ArrayList<>();
    boolean database = environment.database() != null;
    if (!database) {
      warnings.add("no database is configured, so the built-in backup before changes is skipped: the pipeline's"
          + " own steps must back the database up");
    }
    pipeline.stages().forEach((stage, steps) -> {
      for (PipelineStep step : steps) {
        String where = stage + " step '" + step.name() + "'";
        if (!database && DATABASE_KINDS.contains(step.kind())) {
          String problem = "no database is configured, so " + where + " (" + step.kind().yamlName()
              + ") cannot run";
          // A rollback step that cannot run is reported with the rollback; it must not stop a deployment.
          (stage == Stage.ROLLBACK ? warnings : missing).add(problem);
        }
        if (environment.baseUrl() == null && step instanceof PipelineStep.Endpoint endpoint
            && !absolute(endpoint.endpoint())) {
          missing.add("no base_url is configured, so " + where + " cannot resolve " + endpoint.endpoint());
        }
        if (step instanceof PipelineStep.Command command && command.command() != null) {
          commandWarnings(command.command(), where, environment, warnings);
          if (SUPABASE.matcher(command.command()).find()) {
            supabaseSteps.add(where);
          }
        }
      }
    });
    if (!supabaseSteps.isEmpty()) {
      warnings.add(supabaseWarning(supabaseSteps, environment));
    }
    if (environment.metricsUrl() == null && pipeline.rollback().triggers().stream()
        .anyMatch(RollbackTrigger::readsMetrics)) {
      warnings.add("no metrics_url is configured, so the error-rate and latency triggers are not read");
    }
    return new EnvironmentReadiness(List.copyOf(missing), List.copyOf(warnings));
  }

  private static void commandWarnings(String command, String where, EnvironmentDefinition environment,
      List<String> warnings) {
    if (environment.database() == null && PSQL.matcher(command).find()) {
      warnings.add(where + " runs a PostgreSQL client but no database is configured, so PGHOST, PGPORT,"
          + " PGDATABASE, PGUSER and PGPASSWORD are not set for it");
    }
    Map<String, String> configured = new LinkedHashMap<>();
    configured.put("SUPABASE_PROJECT", environment.supabaseProject());
    configured.put("ODOO_URL", environment.odooUrl());
    configured.put("BASE_URL", environment.baseUrl());
    configured.forEach((variable, value) -> {
      if (value == null && mentions(command, variable)) {
        warnings.add(where + " uses $" + variable + " but the environment file sets no "
            + variable.toLowerCase(Locale.ROOT));
      }
    });
  }

  /**
   * What the Supabase CLI needs that a command step does not get. Its database commands act on a
   * linked project, and the checkout of the version is fresh, so nothing links it; and they need an
   * access token, while a command step gets only PATH, HOME, LANG, TZ and TMPDIR of the worker.
   */
  private static String supabaseWarning(List<String> steps, EnvironmentDefinition environment) {
    return String.join(", ", steps) + (steps.size() == 1 ? " runs" : " run") + " the supabase CLI, whose db"
        + " push, dump and diff --linked need a linked project and an access token (db lint and db reset act on"
        + " a local development database unless given --linked), and this environment gives neither: the checkout is not linked (link it first with 'supabase link --project-ref "
        + (environment.supabaseProject() == null ? "<ref>', and the environment file sets no supabase_project"
            : "$SUPABASE_PROJECT', or pass --project-ref")
        + "), and a command step gets only PATH, HOME, LANG, TZ and TMPDIR from the worker, so"
        + " SUPABASE_ACCESS_TOKEN and SUPABASE_DB_PASSWORD are not set (only a token 'supabase login' saved"
        + " under the worker's HOME is found)";
  }

  /** Whether a command reads a variable, written {@code $NAME} or {@code ${NAME}}. */
  static boolean mentions(String command, String variable) {
    return Pattern.compile("\\$\\{?" + variable + "(?![A-Za-z0-9_])").matcher(command).find();
  }

  private static boolean absolute(String endpoint) {
    return endpoint != null && (endpoint.startsWith("http://") || endpoint.startsWith("https://"));
  }

  /** The pre-flight step result stating it. */
  StepResult result() {
    if (!missing.isEmpty()) {
      List<String> all = new ArrayList<>(missing);
      all.addAll(warnings);
      return new StepResult(Stage.PRE_FLIGHT, "Environment readiness", "readiness", StepOutcome.FAILED, 0,
          String.join("; ", all));
    }
    if (!warnings.isEmpty()) {
      return new StepResult(Stage.PRE_FLIGHT, "Environment readiness", "readiness", StepOutcome.WARNED, 0,
          String.join("; ", warnings));
    }
    return new StepResult(Stage.PRE_FLIGHT, "Environment readiness", "readiness", StepOutcome.PASSED, 0,
        "the environment has what every step uses");
  }
}
