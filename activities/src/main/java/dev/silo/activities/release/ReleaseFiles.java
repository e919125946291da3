package dev.silo.activities.release;

import dev.silo.activities.config.ConfigLimits;
import dev.silo.activities.config.FileDigest;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ReleaseFile;
import io.temporal.failure.ApplicationFailure;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the files of a release's {@code migrate} and {@code sql} steps where they are applied: the
 * prepared release holds only each file's hash and size, so the database activity reads the file
 * from the project's repository at the release's commit, through the same bare cache as the
 * preparation, and checks that it is the file prepared.
 */
public final class ReleaseFiles {

  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final String repositoryTemplate;
  private final Path workspaces;

  /**
   * @param repositoryTemplate the path or URL of every project's repository, as {@link
   *     ReleaseActivitiesImpl} takes it; null when the worker has none, which leaves only files that
   *     carry their content to be applied
   * @param workspaces the directory holding the {@code <project>-definition} caches
   */
  public ReleaseFiles(String repositoryTemplate, Path workspaces) {
    this.repositoryTemplate = repositoryTemplate == null || repositoryTemplate.isBlank() ? null : repositoryTemplate.strip();
    this.workspaces = workspaces;
  }

  /** Reads from the repository and the caches the worker's release settings name. */
  public ReleaseFiles(ReleaseSettings settings) {
    this(settings.repositoryTemplate().orElse(null), settings.workspaces());
  }

  /**
   * The migrations with their content: those that carry it as they are, the others read from
   * {@code directory} at the commit and checked against their hash and size.
   *
   * @param directory the {@code migrate} step's directory as written in the step
   * @throws ApplicationFailure {@code INVALID_CONFIG}, not retried, with one line naming the file
   *     when it is missing from the commit or not the file prepared
   */
  public List<MigrationFile> migrations(String project, String commit, String directory, List<MigrationFile> migrations) {
    if (migrations.stream().allMatch(migration -> migration == null || migration.sql() != null)) {
      return migrations;
    }
    String prefix = CommitDefinitionReader.repositoryPath(directory)
        .map(path -> path.isEmpty() ? "" : path + "/")
        .orElseThrow(() -> invalidRequest("the migrations directory '" + directory + "' is outside the repository"));
    return read(project, commit, files -> {
      List<MigrationFile> read = new ArrayList<>(migrations.size());
      for (MigrationFile migration : migrations) {
        read.add(migration == null || migration.sql() != null ? migration : new MigrationFile(migration.version(),
            migration.name(), migration.fileName(), text(files, prefix + migration.fileName(), migration.sha256(),
                migration.size(), ReleaseLimits.MIGRATION_FILE_BYTES), migration.sha256(), migration.size()));
      }
      return read;
    });
  }

  /**
   * The content of a {@code sql} step's file, read at the commit and checked against its hash.
   *
   * @throws ApplicationFailure as {@link #migrations}
   */
  public String sql(String project, String commit, ReleaseFile file) {
    if (file == null || file.path() == null) {
      throw invalidRequest("no sql file to read");
    }
    return read(project, commit, files -> text(files, file.path(), file.sha256(), file.size(), ReleaseLimits.SQL_FILE_BYTES));
  }

  private <T> T read(String project, String commit, Function<CommitFiles, T> reader) {
    if (repositoryTemplate == null) {
      throw invalidRequest("the release's files are read from its repository, and this worker has no "
          + ReleaseActivitiesImpl.REPOSITORY_VARIABLE);
    }
    if (project == null || !PROJECT.matcher(project).matches() || commit == null) {
      throw invalidRequest("the request names no valid project and commit to read the release's files from");
    }
    DefinitionRepository repository = new DefinitionRepository(
        repositoryTemplate.replace(ReleaseActivitiesImpl.PROJECT_PLACEHOLDER, project),
        workspaces.resolve(project + "-definition"));
    return repository.readCommit(commit, files -> {
      try {
        return reader.apply(files);
      } catch (ApplicationFailure failure) {
        throw ApplicationFailure.newNonRetryableFailure(failure.getOriginalMessage() + " at commit "
            + abbreviated(commit) + " of " + repository.name(), failure.getType());
      }
    });
  }

  /** A file's text after checking its size and hash against those it was prepared with. */
  private static String text(CommitFiles files, String path, String sha256, long preparedSize, long limit) {
    Optional<Long> size = files.size(path);
    if (size.isEmpty()) {
      throw changed(path + " is not a file");
    }
    if (size.get() > limit) {
      throw changed(path + " is " + ConfigLimits.describe(size.get()) + ", not the file prepared, and over the "
          + ConfigLimits.limit(limit) + " limit");
    }
    byte[] bytes = files.read(path).orElseThrow();
    String actual = FileDigest.sha256(bytes);
    if (!actual.equals(sha256) || (preparedSize > 0 && bytes.length != preparedSize)) {
      throw changed(path + " is not the file prepared (sha256 " + abbreviated(actual) + ", prepared "
          + abbreviated(sha256) + ")");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw changed(path + " is not valid UTF-8");
    }
  }

  private static String abbreviated(String hex) {
    return hex == null ? "none" : hex.substring(0, Math.min(12, hex.length()));
  }

  private static ApplicationFailure changed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_CONFIG.type());
  }

  private static ApplicationFailure invalidRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_REQUEST.type());
  }
}
