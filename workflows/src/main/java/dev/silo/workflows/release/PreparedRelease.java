package dev.silo.workflows.release;

import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ReleaseFile;
import java.util.List;
import java.util.Map;

/**
 * A version ready to be deployed: the commit it resolved to and everything its steps read.
 *
 * @param repository the repository as it may be shown and passed to command steps: without user or
 *     password
 * @param commit the full commit ID the version resolved to; every step of every environment uses
 *     this commit, so a moved branch or tag cannot change what is deployed halfway
 * @param definition the pipeline and the environments, as loaded from the commit, except that each
 *     environment's approval rules are the protected ones {@code approvalRules} names: the
 *     workflows enforce them as they are
 * @param migrations the migration files of each {@code migrate} step's directory, by directory as
 *     written in the step, sorted by version; each carries its hash and size only, the database
 *     activity reading its content from the commit, except in releases prepared before, whose
 *     files carry their content
 * @param sqlFiles the content of each {@code sql} step's file, by path as written in the step, in
 *     releases prepared before the files were read by the activity; null since
 * @param approvalRules where the approval rules in {@code definition} come from, and which of the
 *     version's own rules were ignored; null for a release prepared before the rules were protected
 * @param sqlFileHashes the hash and size of each {@code sql} step's file, by path as written in the
 *     step, which the database activity reads from the commit; null in releases prepared before
 */
public record PreparedRelease(
    String repository,
    String commit,
    ReleaseDefinition definition,
    Map<String, List<MigrationFile>> migrations,
    Map<String, String> sqlFiles,
    ApprovalRulesSource approvalRules,
    Map<String, ReleaseFile> sqlFileHashes) {

  /** A release whose files carry their content, as releases prepared before the activities read them. */
  public PreparedRelease(String repository, String commit, ReleaseDefinition definition,
      Map<String, List<MigrationFile>> migrations, Map<String, String> sqlFiles, ApprovalRulesSource approvalRules) {
    this(repository, commit, definition, migrations, sqlFiles, approvalRules, null);
  }

  /** A release whose approval rules are the version's own, as releases prepared before protection. */
  public PreparedRelease(String repository, String commit, ReleaseDefinition definition,
      Map<String, List<MigrationFile>> migrations, Map<String, String> sqlFiles) {
    this(repository, commit, definition, migrations, sqlFiles, null, null);
  }

  /** The same release with other approval rules. */
  public PreparedRelease withApprovalRules(ReleaseDefinition protectedDefinition, ApprovalRulesSource source) {
    return new PreparedRelease(repository, commit, protectedDefinition, migrations, sqlFiles, source, sqlFileHashes);
  }
}
