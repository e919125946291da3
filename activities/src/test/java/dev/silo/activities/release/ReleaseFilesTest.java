package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.config.FileDigest;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ReleaseFile;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database activities' side of a release prepared by hash: the files are read from the
 * project's bare repository at the release's commit, through a cache of their own, and a file that
 * is not the one prepared stops the step with one line naming it.
 */
class ReleaseFilesTest {

  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");
  private static final String MIGRATION = "create table notes (id int primary key);\n";
  private static final String FUNCTION = "create or replace function one() returns int language sql as $$ select 1 $$;\n";

  @TempDir Path directory;

  private String commit;
  private ReleaseFiles files;

  @BeforeEach
  void createTheRepository() throws Exception {
    Path work = directory.resolve("notes-work");
    Files.createDirectories(work.resolve("db/migrations"));
    Files.createDirectories(work.resolve("functions"));
    Files.writeString(work.resolve("db/migrations/20250401090000_notes.sql"), MIGRATION);
    Files.writeString(work.resolve("functions/one.sql"), FUNCTION);
    Path bare = directory.resolve("notes.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      git.add().addFilepattern(".").call();
      commit = git.commit().setMessage("Notes").setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call().name();
      git.push().setRemote(bare.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    }
    files = new ReleaseFiles(directory + "/{project}.git", directory.resolve("workspaces"));
  }

  @Test
  void givenMigrationsPreparedByHash_whenRead_itShouldReturnTheirContentFromTheCommit() {
    List<MigrationFile> read = files.migrations("notes", commit, "./db/migrations", List.of(migration(sha256(MIGRATION))));

    assertThat(read).singleElement().extracting(MigrationFile::sql).isEqualTo(MIGRATION);
    assertThat(files.sql("notes", commit, new ReleaseFile("functions/one.sql", sha256(FUNCTION), FUNCTION.length())))
        .isEqualTo(FUNCTION);
  }

  @Test
  void givenAHashThatIsNotTheFiles_whenRead_itShouldFailWithoutRetryNamingTheFileInOneLine() {
    ApplicationFailure migration = catchThrowableOfType(ApplicationFailure.class,
        () -> files.migrations("notes", commit, "db/migrations", List.of(migration(sha256("something else")))));
    ApplicationFailure sql = catchThrowableOfType(ApplicationFailure.class,
        () -> files.sql("notes", commit, new ReleaseFile("functions/one.sql", sha256("other"), FUNCTION.length())));

    assertThat(List.of(migration, sql)).allSatisfy(failure -> {
      assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).doesNotContain("\n").contains("is not the file prepared")
          .contains(commit.substring(0, 12));
    });
    assertThat(migration.getOriginalMessage()).startsWith("db/migrations/20250401090000_notes.sql is not the file prepared");
    assertThat(sql.getOriginalMessage()).startsWith("functions/one.sql is not the file prepared");
  }

  @Test
  void givenAFileMissingFromTheCommit_whenRead_itShouldFailWithoutRetryNamingIt() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> files.sql("notes", commit, new ReleaseFile("functions/two.sql", sha256(FUNCTION), FUNCTION.length())));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith("functions/two.sql is not a file");
  }

  @Test
  void givenMigrationsThatCarryTheirContent_whenRead_itShouldKeepThemWithoutAnyRepository() {
    List<MigrationFile> recorded = List.of(new MigrationFile("20250401090000", "notes", "20250401090000_notes.sql", MIGRATION));

    assertThat(new ReleaseFiles(null, directory.resolve("unused")).migrations(null, null, "db/migrations", recorded))
        .isSameAs(recorded);
  }

  @Test
  void givenAWorkerWithoutTheRepositoryVariable_whenAFileIsReadByHash_itShouldRefuseTheRequestNamingTheVariable() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> new ReleaseFiles(null, directory.resolve("unused"))
            .sql("notes", commit, new ReleaseFile("functions/one.sql", sha256(FUNCTION), FUNCTION.length())));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(ReleaseActivitiesImpl.REPOSITORY_VARIABLE);
  }

  @Test
  void givenACommitTheRepositoryDoesNotHold_whenRead_itShouldFailAsNotFound() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> files.sql("notes", "0123456789abcdef0123456789abcdef01234567",
            new ReleaseFile("functions/one.sql", sha256(FUNCTION), FUNCTION.length())));

    assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  private static MigrationFile migration(String sha256) {
    return MigrationFile.byHash("20250401090000", "notes", "20250401090000_notes.sql", sha256, MIGRATION.length());
  }

  private static String sha256(String text) {
    return FileDigest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
