package dev.silo.workflows.release;

/** What a {@link PipelineStep} does, which decides the parameters it reads. */
public enum StepKind {
  /** Runs a shell command in a workspace holding the version; written as {@code command:}. */
  COMMAND("command"),
  /**
   * Calls an HTTP endpoint of the environment and expects a status; written as {@code endpoint:}.
   */
  ENDPOINT("endpoint"),
  /** Dumps the environment's database before anything changes it. */
  BACKUP("backup"),
  /** Restores the backup taken earlier in the same deployment. */
  RESTORE("restore"),
  /** Applies the version's migrations that the database has not applied yet. */
  MIGRATE("migrate"),
  /** Runs one SQL file or statement against the environment's database. */
  SQL("sql"),
  /** Runs a statement as a role with JWT claims and asserts which rows it may see or change. */
  RLS_TEST("rls-test"),
  /** Posts a Slack-compatible message to a webhook. */
  NOTIFY("notify"),
  /** Opens an incident through a webhook. */
  INCIDENT("incident");

  private final String yamlName;

  StepKind(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name written after {@code kind:} in a pipeline file. */
  public String yamlName() {
    return yamlName;
  }
}
