package dev.silo.activities.database;

import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a push applies, decided as the Supabase CLI decides it ({@code FindPendingMigrations} and
 * {@code GetPendingMigrations}): the local and remote versions are walked together in order;
 * pending are the local versions after the applied prefix. A remote version missing locally is an
 * error; a local version older than the newest applied one and not applied is an error too, unless
 * {@code includeAll}, which applies those first and then the newer ones.
 *
 * @param pending the files to apply, in the order to apply them
 * @param alreadyApplied the local versions the history already holds
 */
record MigrationPlan(List<MigrationFile> pending, List<String> alreadyApplied) {

  /** The CLI's error for history rows without a file ({@code ErrMissingLocal}). */
  static final String MISSING_LOCAL =
      "Remote migration versions not found in local migrations directory";

  /** The CLI's error for unapplied files older than the newest applied one ({@code ErrMissingRemote}). */
  static final String MISSING_REMOTE =
      "Found local migration files to be inserted before the last migration on remote database";

  MigrationPlan {
    pending = List.copyOf(pending);
    alreadyApplied = List.copyOf(alreadyApplied);
  }

  /**
   * @param local the local files, in any order
   * @param remote the versions in the history table, sorted
   * @param includeAll apply local versions older than the newest applied one too
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) for the CLI's two errors, and
   *     for two files with one version; the failure's details hold the versions concerned
   */
  static MigrationPlan of(List<MigrationFile> local, List<String> remote, boolean includeAll) {
    List<MigrationFile> sorted = sortedUnique(local);
    List<MigrationFile> unapplied = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> applied = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < remote.size() && j < sorted.size()) {
      String remoteVersion = remote.get(i);
      MigrationFile file = sorted.get(j);
      int order = remoteVersion.compareTo(file.version());
      if (order == 0) {
        applied.add(file.version());
        i++;
        j++;
      } else if (order < 0) {
        missing.add(remoteVersion);
        i++;
      } else {
        unapplied.add(file);
        j++;
      }
    }
    if (j == sorted.size()) {
      missing.addAll(remote.subList(i, remote.size()));
    }
    if (!missing.isEmpty()) {
      String versions = String.join(" ", missing);
      throw ApplicationFailure.newNonRetryableFailure(
          MISSING_LOCAL + ": " + String.join(", ", missing)
              + ". Make sure the silo's supabase/migrations is up to date. If it is, repair the"
              + " migration history table with `supabase migration repair --status reverted "
              + versions + "` and update the local migrations to match the database with"
              + " `supabase db pull`.",
          FailureType.INVALID_CONFIG.type(),
          missing);
    }
    List<MigrationFile> newer = sorted.subList(j, sorted.size());
    if (!unapplied.isEmpty() && !includeAll) {
      throw ApplicationFailure.newNonRetryableFailure(
          MISSING_REMOTE + ": " + unapplied.stream().map(MigrationPlan::path)
              .collect(Collectors.joining(", "))
              + ". Rerun with includeAll (supabase db push --include-all) to apply these"
              + " migrations.",
          FailureType.INVALID_CONFIG.type(),
          unapplied.stream().map(MigrationFile::version).toList());
    }
    List<MigrationFile> pending = new ArrayList<>(unapplied);
    pending.addAll(newer);
    return new MigrationPlan(pending, applied);
  }

  private static List<MigrationFile> sortedUnique(List<MigrationFile> local) {
    for (MigrationFile file : local) {
      if (file == null || file.version() == null || file.version().isBlank() || file.sql() == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "A migration file without a version or content was passed: " + file,
            FailureType.INVALID_REQUEST.type());
      }
    }
    List<MigrationFile> sorted = new ArrayList<>(local);
    sorted.sort(Comparator.comparing(MigrationFile::version));
    for (int k = 1; k < sorted.size(); k++) {
      if (sorted.get(k).version().equals(sorted.get(k - 1).version())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Migration version " + sorted.get(k).version() + " is used by both "
                + sorted.get(k - 1).fileName() + " and " + sorted.get(k).fileName()
                + "; each version must name one file",
            FailureType.INVALID_CONFIG.type());
      }
    }
    return sorted;
  }

  private static String path(MigrationFile file) {
    return "supabase/migrations/" + file.fileName();
  }
}
