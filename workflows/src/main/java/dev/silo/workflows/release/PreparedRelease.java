package dev.silo.workflows.release;

import dev.silo.workflows.config.MigrationFile;
import java.util.List;
import java.util.Map;

/**
 * A version ready to be deployed: the commit it resolved to and everything its steps read.
 *
 * @param repository the repository as it may be shown and passed to command steps: without user or
 *     password
 * @param commit the full commit ID the version resolved to; every step of every environment uses
 *     this commit, so a moved branch or tag cannot change what is deployed halfway
 * @param definition the pipeline and the environments, as loaded from the commit
 * @param migrations the migration files of each {@code migrate} step's directory, by directory as
 *     written in the step, sorted by version
 * @param sqlFiles the content of each {@code sql} step's file, by path as written in the step
 */
public record PreparedRelease(
    String repository,
    String commit,
    ReleaseDefinition definition,
    Map<String, List<MigrationFile>> migrations,
    Map<String, String> sqlFiles) {}
