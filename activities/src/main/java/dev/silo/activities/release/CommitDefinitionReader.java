package dev.silo.activities.release;

import dev.silo.activities.config.ConfigLimits;
import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileDigest;
import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.MigrationNames;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ReleaseFile;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.PipelineStep;
import dev.silo.workflows.release.PreparedRelease;
import dev.silo.workflows.release.ReleaseDefinition;
import dev.silo.workflows.release.ReleasePipeline;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a release definition from one commit: the pipeline and environment files through {@link
 * ReleaseDefinitionLoader}, then every file a step names. Problems of all of them are reported
 * together, each naming its file relative to the repository's root.
 *
 * <p>The loader reads files on disk, so the definition files (and only they) are copied into a
 * temporary directory first; the files the steps name are read straight from the commit.
 */
final class CommitDefinitionReader {

  static final String PIPELINE_FILE = "pipeline.yml";
  static final String ENVIRONMENTS_DIRECTORY = "environments";

  private static final Pattern YAML_FILE = Pattern.compile(".*\\.ya?ml");

  private static final Logger log = LoggerFactory.getLogger(CommitDefinitionReader.class);

  private final String project;
  private final CommitFiles files;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private CommitDefinitionReader(String project, CommitFiles files) {
    this.project = project;
    this.files = files;
  }

  /**
   * Reads the definition of a commit.
   *
   * @param version the version as requested, for messages
   * @param repository the repository's name as it may be shown
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) listing every problem found
   */
  static PreparedRelease read(String project, String version, String repository, CommitFiles files) {
    CommitDefinitionReader reader = new CommitDefinitionReader(project, files);
    ReleaseDefinition definition = reader.definition();
    Map<String, List<MigrationFile>> migrations = new TreeMap<>();
    Map<String, ReleaseFile> sqlFiles = new TreeMap<>();
    if (definition.pipeline() != null) {
      reader.stepFiles(definition.pipeline(), migrations, sqlFiles);
    }
    if (!reader.problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The release definition of " + project + " at " + version + " (commit "
              + files.commitId() + " of " + repository + ") cannot be deployed: "
              + new ReleaseDefinitionException(reader.problems).getMessage(),
          FailureType.INVALID_CONFIG.type());
    }
    return new PreparedRelease(repository, files.commitId(), definition, migrations, null, null, sqlFiles);
  }

  /** Loads the pipeline and the environments; a part with problems is null or empty. */
  private ReleaseDefinition definition() {
    Path root;
    try {
      root = Files.createTempDirectory("silo-release-definition-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a directory for the definition files", e);
    }
    try {
      materialize(root);
      ReleaseDefinitionLoader loader = new ReleaseDefinitionLoader();
      ReleasePipeline pipeline = null;
      List<EnvironmentDefinition> environments = List.of();
      try {
        pipeline = loader.loadPipeline(project, root.resolve(PIPELINE_FILE));
      } catch (ReleaseDefinitionException e) {
        e.problems().forEach(problem -> problems.add(relative(root, problem)));
      }
      try {
        environments = loader.loadEnvironments(root.resolve(ENVIRONMENTS_DIRECTORY));
      } catch (ReleaseDefinitionException e) {
        e.problems().forEach(problem -> problems.add(relative(root, problem)));
      }
      return new ReleaseDefinition(pipeline, environments);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not copy the definition files to " + root, e);
    } finally {
      deleteQuietly(root);
    }
  }

  /** Copies the pipeline file and the environment files of the commit, as far as they exist. */
  private void materialize(Path root) throws IOException {
    Optional<byte[]> pipeline = files.read(PIPELINE_FILE);
    if (pipeline.isPresent()) {
      Files.write(root.resolve(PIPELINE_FILE), pipeline.get());
    }
    Optional<List<CommitFiles.Entry>> environments = files.list(ENVIRONMENTS_DIRECTORY);
    if (environments.isPresent()) {
      Path directory = Files.createDirectory(root.resolve(ENVIRONMENTS_DIRECTORY));
      for (CommitFiles.Entry entry : environments.get()) {
        if (entry.regularFile() && YAML_FILE.matcher(entry.name()).matches()) {
          Files.write(
              directory.resolve(entry.name()),
              files.read(ENVIRONMENTS_DIRECTORY + "/" + entry.name()).orElseThrow());
        }
      }
    }
  }

  /**
   * Checks the migrations of every migrate step and the file of every sql step, and keeps each
   * file's hash and size: the database activities read the content from the commit themselves.
   */
  private void stepFiles(
      ReleasePipeline pipeline, Map<String, List<MigrationFile>> migrations, Map<String, ReleaseFile> sqlFiles) {
    String pipelineText =
        files.read(PIPELINE_FILE).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
    List<PipelineStep> steps =
        Stream.of(
                pipeline.preFlight(),
                pipeline.schemaDeploy(),
                pipeline.functionDeploy(),
                pipeline.rlsDeploy(),
                pipeline.healthChecks(),
                pipeline.rollback().steps())
            .flatMap(List::stream)
            .toList();
    for (PipelineStep step : steps) {
      if (step instanceof PipelineStep.Migrate migrate && !migrations.containsKey(migrate.directory())) {
        migrations(migrate, pipelineText).ifPresent(read -> migrations.put(migrate.directory(), read));
      } else if (step instanceof PipelineStep.Sql sql && sql.file() != null && !sqlFiles.containsKey(sql.file())) {
        sqlFile(sql, pipelineText).ifPresent(file -> sqlFiles.put(sql.file(), file));
      }
    }
    FileProblems pipelineProblems = new FileProblems(PIPELINE_FILE, problems);
    long migrationsTotal = migrations.values().stream().flatMap(List::stream).mapToLong(MigrationFile::size).sum();
    if (migrationsTotal > ReleaseLimits.MIGRATIONS_TOTAL_BYTES) {
      pipelineProblems.add("the migrations of the migrate steps total " + ConfigLimits.describe(migrationsTotal)
          + ", over the " + ConfigLimits.limit(ReleaseLimits.MIGRATIONS_TOTAL_BYTES) + " limit of all migrations together");
    }
    long sqlTotal = sqlFiles.values().stream().distinct().mapToLong(ReleaseFile::size).sum();
    if (sqlTotal > ReleaseLimits.SQL_FILES_TOTAL_BYTES) {
      pipelineProblems.add("the files of the sql steps total " + ConfigLimits.describe(sqlTotal)
          + ", over the " + ConfigLimits.limit(ReleaseLimits.SQL_FILES_TOTAL_BYTES) + " limit of all sql files together");
    }
  }

  private Optional<List<MigrationFile>> migrations(PipelineStep.Migrate step, String pipelineText) {
    FileProblems stepProblems = new FileProblems(PIPELINE_FILE, problems);
    Integer line = lineOf(pipelineText, "directory", step.directory(), step.name());
    Optional<String> directory = repositoryPath(step.directory());
    if (directory.isEmpty()) {
      stepProblems.add(line, "step '" + step.name() + "' reads migrations from '" + step.directory()
          + "', which is outside the repository");
      return Optional.empty();
    }
    Optional<List<CommitFiles.Entry>> entries = files.list(directory.get());
    if (entries.isEmpty()) {
      stepProblems.add(line, "step '" + step.name() + "' reads migrations from '" + step.directory()
          + "', which is not a directory of the commit");
      return Optional.empty();
    }
    String prefix = directory.get().isEmpty() ? "" : directory.get() + "/";
    List<MigrationFile> migrations = new ArrayList<>();
    MigrationNames names = new MigrationNames();
    for (CommitFiles.Entry entry :
        entries.get().stream().sorted(Comparator.comparing(CommitFiles.Entry::name)).toList()) {
      FileProblems fileProblems = new FileProblems(prefix + entry.name(), problems);
      names.accept(entry.name(), entry.regularFile(), fileProblems)
          .ifPresent(name -> digest(prefix + entry.name(), ReleaseLimits.MIGRATION_FILE_BYTES, "a migration file",
              fileProblems).ifPresent(digest -> migrations.add(MigrationFile.byHash(
                  name.version(), name.name(), entry.name(), digest.sha256(), digest.size()))));
    }
    // Versions have a fixed width, so name order is version order.
    return Optional.of(List.copyOf(migrations));
  }

  private Optional<ReleaseFile> sqlFile(PipelineStep.Sql step, String pipelineText) {
    FileProblems stepProblems = new FileProblems(PIPELINE_FILE, problems);
    Integer line = lineOf(pipelineText, "file", step.file(), step.name());
    Optional<String> path = repositoryPath(step.file()).filter(written -> !written.isEmpty());
    if (path.isEmpty()) {
      stepProblems.add(line, "step '" + step.name() + "' runs the file '" + step.file()
          + "', which is outside the repository");
      return Optional.empty();
    }
    if (files.read(path.get()).isEmpty()) {
      stepProblems.add(line, "step '" + step.name() + "' runs the file '" + step.file()
          + "', which is not a file of the commit");
      return Optional.empty();
    }
    return digest(path.get(), ReleaseLimits.SQL_FILE_BYTES, "a sql step's file", new FileProblems(path.get(), problems))
        .map(digest -> new ReleaseFile(path.get(), digest.sha256(), digest.size()));
  }

  /**
   * A file's hash and size, or empty after reporting that it is over its limit (measured before its
   * content is read) or not UTF-8.
   */
  private Optional<FileDigest> digest(String path, long limit, String kind, FileProblems fileProblems) {
    long size = files.size(path).orElseThrow();
    if (size > limit) {
      fileProblems.add(ReleaseLimits.overLimit(size, limit, kind));
      return Optional.empty();
    }
    byte[] bytes = files.read(path).orElseThrow();
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      fileProblems.add("file is not valid UTF-8");
      return Optional.empty();
    }
    return Optional.of(new FileDigest(FileDigest.sha256(bytes), bytes.length));
  }

  /**
   * A path as written in a step, normalized and relative to the repository's root; empty when it
   * leaves the repository.
   */
  static Optional<String> repositoryPath(String written) {
    if (written == null || written.startsWith("/") || written.contains("\\")) {
      return Optional.empty();
    }
    Path normalized = Path.of(written).normalize();
    if (normalized.startsWith("..")) {
      return Optional.empty();
    }
    return Optional.of(normalized.toString().replace(normalized.getFileSystem().getSeparator(), "/"));
  }

  /**
   * The line of the pipeline file where a step writes {@code key: value}, else the line of its
   * {@code name:}; null when neither is found. Steps do not carry their lines, and a file a step
   * names is only known to be missing after the file was loaded.
   */
  private static Integer lineOf(String text, String key, String value, String stepName) {
    String[] lines = text.split("\n", -1);
    for (String[] written : List.of(new String[] {key, value}, new String[] {"name", stepName})) {
      Pattern pattern =
          Pattern.compile(
              "^\\s*(?:-\\s+)?" + Pattern.quote(written[0]) + ":\\s*([\"']?)"
                  + Pattern.quote(written[1]) + "\\1\\s*(?:#.*)?$");
      for (int i = 0; i < lines.length; i++) {
        if (pattern.matcher(lines[i]).matches()) {
          return i + 1;
        }
      }
    }
    return null;
  }


  /** The problem with its file relative to the temporary root, as the repository names it. */
  private static ConfigProblem relative(Path root, ConfigProblem problem) {
    String file = problem.file();
    Path path = Path.of(file);
    if (path.startsWith(root)) {
      file = root.relativize(path).toString().replace(root.getFileSystem().getSeparator(), "/");
    }
    String message = problem.message().replace(root + root.getFileSystem().getSeparator(), "");
    return new ConfigProblem(file, problem.line(), message);
  }

  private static void deleteQuietly(Path root) {
    try {
      FileUtils.delete(root.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
    } catch (IOException e) {
      log.warn("Could not delete the temporary definition {}: {}", root, e.getMessage());
    }
  }
}
