package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.activities.config.FileDigest;
import dev.silo.activities.settings.WorkerSettings;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.MigrationFile;
import dev.silo.workflows.database.ReleaseFile;
import dev.silo.workflows.release.BadVersion;
import dev.silo.workflows.release.CheckVariablesRequest;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.FindBadVersionRequest;
import dev.silo.workflows.release.FindPreviousDeploymentRequest;
import dev.silo.workflows.release.MarkVersionBadRequest;
import dev.silo.workflows.release.PrepareReleaseRequest;
import dev.silo.workflows.release.PreparedRelease;
import dev.silo.workflows.release.PreviousDeployment;
import dev.silo.workflows.release.RecordDeploymentRequest;
import dev.silo.workflows.release.VariablesCheck;
import dev.silo.workflows.release.WatchWindow;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepares releases from a local bare repository holding {@code examples/release}, tagged as a
 * project would tag it, and keeps the ledger of bad versions in a temporary state directory.
 */
class ReleaseActivitiesImplTest {

  // Surefire runs in the module's directory, and the example lives next to the modules.
  private static final Path EXAMPLE = Path.of("..", "examples", "release");
  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");
  private static final long BIG = 17L * 1024 * 1024;
  private static final long PART = 13L * 1024 * 1024;
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  @TempDir static Path repositories;

  private static String v1Commit;

  @TempDir Path worker;

  private ReleaseActivitiesImpl activities;

  @BeforeAll
  static void createTheExampleRepository() throws Exception {
    Path bare = repositories.resolve("expenses.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Path work = repositories.resolve("expenses-work");
    copy(EXAMPLE, work);
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      v1Commit = commitAndTag(git, "v1.0.0").name();

      Path pipeline = work.resolve("pipeline.yml");
      String example = Files.readString(pipeline);
      Files.writeString(
          pipeline,
          example.replace("    blocking: true\n    timeout: 30s", "    blocking: true\n    retries: 3"));
      commitAndTag(git, "v1.1.0-unknown-key");

      Files.writeString(
          pipeline,
          example.replace("functions/submit_expense.sql", "functions/approve_expense.sql"));
      commitAndTag(git, "v1.2.0-missing-file");

      Files.writeString(pipeline, example);
      Files.writeString(work.resolve("migrations/README.md"), "Migrations of the expense example.\n");
      commitAndTag(git, "v1.3.0-stray-file");

      git.rm().addFilepattern("migrations/README.md").call();
      commitAndTag(git, "v1.4.0");

      Path function = work.resolve("functions/submit_expense.sql");
      String functionText = Files.readString(function);
      writeBig(work.resolve("migrations/20250301092000_big.sql"), BIG);
      writeBig(function, BIG);
      commitAndTag(git, "v1.5.0-too-big");

      git.rm().addFilepattern("migrations/20250301092000_big.sql").call();
      Files.writeString(function, functionText);
      commitAndTag(git, "v1.6.0");

      // Five files of one content are one blob: cheap to store, still read five times.
      for (int i = 0; i < 5; i++) {
        writeBig(work.resolve("migrations/2025030110000" + i + "_part.sql"), PART);
      }
      commitAndTag(git, "v1.7.0-too-much");
      git.rm().addFilepattern("migrations").call();
      copy(EXAMPLE.resolve("migrations"), work.resolve("migrations"));
      commitAndTag(git, "v1.8.0");

      git.push()
          .setRemote(bare.toString())
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"), new RefSpec("refs/tags/*:refs/tags/*"))
          .call();
    }
  }

  @BeforeEach
  void createActivities() {
    activities = activities(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void givenTheExampleTagged_whenPrepared_itShouldReturnTheDefinitionAndEveryFileItsStepsRead()
      throws Exception {
    PreparedRelease release = activities.prepare(new PrepareReleaseRequest("expenses", "v1.0.0"));

    assertThat(release.commit()).isEqualTo(v1Commit);
    assertThat(release.repository()).isEqualTo(repositories.resolve("expenses.git").toString());
    assertThat(release.definition().pipeline().project()).isEqualTo("expenses");
    assertThat(release.definition().environments())
        .extracting(EnvironmentDefinition::name)
        .containsExactly("dev", "staging", "uat", "prod");
    assertThat(release.definition().environments().get(0).watch()).isEqualTo(WatchWindow.DEFAULT);
    assertThat(release.migrations()).containsOnlyKeys("migrations");
    assertThat(release.migrations().get("migrations"))
        .extracting(MigrationFile::version, MigrationFile::name)
        .containsExactly(
            tuple("20250301090000", "create_expenses"),
            tuple("20250301090500", "expenses_rls"),
            tuple("20250301091000", "example_expenses"));
    byte[] migration = Files.readAllBytes(EXAMPLE.resolve("migrations/20250301090000_create_expenses.sql"));
    assertThat(release.migrations().get("migrations").get(0))
        .extracting(MigrationFile::sql, MigrationFile::sha256, MigrationFile::size)
        .containsExactly(null, FileDigest.sha256(migration), (long) migration.length);
    byte[] function = Files.readAllBytes(EXAMPLE.resolve("functions/submit_expense.sql"));
    assertThat(release.sqlFiles()).isNull();
    assertThat(release.sqlFileHashes())
        .isEqualTo(
            Map.of(
                "functions/submit_expense.sql",
                new ReleaseFile("functions/submit_expense.sql", FileDigest.sha256(function), function.length)));
  }

  @Test
  void givenAMigrationAndASqlFileOverTheirLimits_whenPrepared_itShouldNameEachFileAndItsSize() {
    ApplicationFailure failure = prepareFailure("v1.5.0-too-big");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(
            "migrations/20250301092000_big.sql: file is 17.0 MiB (" + BIG + " bytes), over the 16 MiB limit of a"
                + " migration file",
            "functions/submit_expense.sql: file is 17.0 MiB (" + BIG + " bytes), over the 16 MiB limit of a sql"
                + " step's file");
  }

  @Test
  void givenMigrationsEachWithinTheLimitButOverItTogether_whenPrepared_itShouldSayTheirTotal() throws Exception {
    ApplicationFailure failure = prepareFailure("v1.7.0-too-much");
    long total = 5 * PART;
    try (Stream<Path> example = Files.list(EXAMPLE.resolve("migrations"))) {
      for (Path file : example.toList()) {
        total += Files.size(file);
      }
    }

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage())
        .contains("1 problem(s)", "pipeline.yml: the migrations of the migrate steps total 65.0 MiB ("
            + total + " bytes), over the 64 MiB limit of all migrations together");
  }

  @Test
  void givenABranchOrACommitId_whenPrepared_itShouldResolveToTheSameCommit() {
    PreparedRelease byCommit =
        activities.prepare(new PrepareReleaseRequest("expenses", v1Commit.substring(0, 10)));
    PreparedRelease byBranch = activities.prepare(new PrepareReleaseRequest("expenses", "main"));

    assertThat(byCommit.commit()).isEqualTo(v1Commit);
    assertThat(byBranch.commit()).isNotEqualTo(v1Commit);
    assertThat(byBranch.migrations().get("migrations")).hasSize(3);
  }

  @Test
  void givenAnUnknownKeyInThePipeline_whenPrepared_itShouldNameTheFileAndLine() throws Exception {
    ApplicationFailure failure = prepareFailure("v1.1.0-unknown-key");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("\n  - pipeline.yml:10: unknown key 'retries' in step 'Migrations are present'")
        .doesNotContain("silo-release-definition");
  }

  @Test
  void givenAStepNamingAMissingSqlFile_whenPrepared_itShouldNameTheFileAndTheStepsLine() {
    ApplicationFailure failure = prepareFailure("v1.2.0-missing-file");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage())
        .contains(
            "pipeline.yml:36: step 'Deploy stored procedures' runs the file"
                + " 'functions/approve_expense.sql', which is not a file of the commit");
  }

  @Test
  void givenAStrayFileAmongTheMigrations_whenPrepared_itShouldNameIt() {
    ApplicationFailure failure = prepareFailure("v1.3.0-stray-file");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage())
        .contains("1 problem(s)", "migrations/README.md: not a migration file");
  }

  @Test
  void givenAnUnknownVersionOrProject_whenPrepared_itShouldFailAsNotFound() {
    ApplicationFailure version = prepareFailure("v9.9.9");
    ApplicationFailure project =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.prepare(new PrepareReleaseRequest("payroll", "v1.0.0")));

    assertThat(version.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(version.isNonRetryable()).isTrue();
    assertThat(version.getOriginalMessage()).contains("v9.9.9");
    assertThat(project.getType()).isEqualTo(FailureType.NOT_FOUND.type());
    assertThat(project.getOriginalMessage()).contains("payroll.git");
  }

  @Test
  void givenAMalformedProjectOrVersion_whenPrepared_itShouldRefuseTheRequest() {
    for (PrepareReleaseRequest request :
        List.of(
            new PrepareReleaseRequest("../etc", "v1.0.0"),
            new PrepareReleaseRequest("Expenses", "v1.0.0"),
            new PrepareReleaseRequest("expenses", "v1.0.0 --upload-pack=x"),
            new PrepareReleaseRequest("expenses", "main..v1.0.0"),
            new PrepareReleaseRequest("expenses", "v".repeat(129)))) {
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> activities.prepare(request));

      assertThat(failure.getType()).as(request.toString()).isEqualTo(FailureType.INVALID_REQUEST.type());
    }
  }

  @Test
  void givenAVersionRolledBack_whenMarkedAndLookedUp_itShouldBeBad() {
    BadVersion before = activities.findBadVersion(new FindBadVersionRequest("expenses", "v1.0.0"));

    BadVersion marked = activities.markVersionBad(mark("prod", "p99 above 5s"));
    BadVersion after = activities.findBadVersion(new FindBadVersionRequest("expenses", "v1.0.0"));

    assertThat(before).isEqualTo(BadVersion.good("expenses", "v1.0.0"));
    assertThat(marked)
        .isEqualTo(
            new BadVersion(
                "expenses", "v1.0.0", true, "prod", "p99 above 5s", "release-expenses-prod",
                "2025-03-01T12:00:00Z"));
    assertThat(after).isEqualTo(marked);
    assertThat(activities.findBadVersion(new FindBadVersionRequest("expenses", "v1.0.1")).bad())
        .isFalse();
  }

  @Test
  void givenAVersionMarkedAlready_whenMarkedAgainLater_itShouldKeepTheFirstMark() {
    BadVersion first = activities.markVersionBad(mark("uat", "health check failed"));

    BadVersion second =
        activities(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC))
            .markVersionBad(mark("prod", "error rate above 1%"));

    assertThat(second).isEqualTo(first);
    assertThat(second.environment()).isEqualTo("uat");
    assertThat(second.markedAt()).isEqualTo("2025-03-01T12:00:00Z");
  }

  @Test
  void givenAMarkByOneWorker_whenAnotherOnTheSameStateDirectoryLooksItUp_itShouldSeeIt()
      throws Exception {
    activities.markVersionBad(mark("prod", "p99 above 5s"));

    ReleaseActivitiesImpl other =
        fromEnvironment(
            Map.of(
                ReleaseActivitiesImpl.REPOSITORY_VARIABLE, repositories + "/{project}.git",
                "SILO_WORKSPACES", worker.resolve("other-workspaces").toString(),
                "SILO_STATE_DIR", worker.resolve("state").toString()));

    assertThat(other.findBadVersion(new FindBadVersionRequest("expenses", "v1.0.0")).reason())
        .isEqualTo("p99 above 5s");
    assertThat(worker.resolve("state/releases/expenses/bad-versions.json")).isRegularFile();
    try (Stream<Path> files = Files.list(worker.resolve("state/releases/expenses"))) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrder("bad-versions.json", "bad-versions.lock");
    }
  }

  @Test
  void givenVariablesTheWorkerLacksOrLeavesBlank_whenChecked_itShouldNameAllOfThemAndNoValue() {
    VariablesCheck check =
        activities.checkVariables(
            new CheckVariablesRequest(
                List.of("EXPENSES_DEV_DB_PASSWORD", "SLACK_URL", "INCIDENT_URL")));

    assertThat(check.missing()).containsExactly("SLACK_URL", "INCIDENT_URL");
    assertThat(check.toString()).doesNotContain("s3cret");
  }

  @Test
  void givenNoDeploymentRecorded_whenThePreviousIsLookedUp_itShouldFindNone() {
    assertThat(activities.findPreviousDeployment(previousOf("dev", "release-expenses-v1.0.0-dev")))
        .isEqualTo(PreviousDeployment.none());
  }

  @Test
  void givenTwoDeploymentsRecorded_whenTheSecondLooksUpItsPrevious_itShouldFindTheFirstWithItsTime() {
    activities.recordDeployment(deployment("v1.0.0", "release-expenses-v1.0.0-dev"));
    ReleaseActivitiesImpl later =
        activities(Clock.fixed(NOW.plusSeconds(86_400), ZoneOffset.UTC));
    later.recordDeployment(deployment("v1.1.0", "release-expenses-v1.1.0-dev"));

    assertThat(later.findPreviousDeployment(previousOf("dev", "release-expenses-v1.1.0-dev")))
        .isEqualTo(
            new PreviousDeployment(
                true, "v1.0.0", "c0ffee", "release-expenses-v1.0.0-dev", "2025-03-01T12:00:00Z"));
    assertThat(later.findPreviousDeployment(previousOf("dev", "release-expenses-v1.2.0-dev")))
        .extracting(PreviousDeployment::version, PreviousDeployment::deployedAt)
        .containsExactly("v1.1.0", "2025-03-02T12:00:00Z");
    assertThat(later.findPreviousDeployment(previousOf("staging", "release-expenses-v1.2.0-staging")))
        .isEqualTo(PreviousDeployment.none());
  }

  @Test
  void givenADeploymentRecordedAlready_whenItsRecordIsRetriedLater_itShouldKeepTheFirstRecord() {
    PreviousDeployment first = activities.recordDeployment(deployment("v1.0.0", "release-expenses-v1.0.0-dev"));

    PreviousDeployment retried =
        activities(Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC))
            .recordDeployment(deployment("v1.0.0", "release-expenses-v1.0.0-dev"));

    assertThat(retried).isEqualTo(first);
    assertThat(activities.findPreviousDeployment(previousOf("dev", "release-expenses-v1.1.0-dev")))
        .isEqualTo(first);
  }

  @Test
  void givenAVersionDeployedAgainAfterAnother_whenTheNextLooksUpItsPrevious_itShouldFindTheRedeployedVersion() {
    activities.recordDeployment(deployment("v1", "release-expenses-v1-dev", "run-a"));
    activities(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC))
        .recordDeployment(deployment("v2", "release-expenses-v2-dev", "run-b"));
    ReleaseActivitiesImpl later = activities(Clock.fixed(NOW.plusSeconds(120), ZoneOffset.UTC));
    later.recordDeployment(deployment("v1", "release-expenses-v1-dev", "run-c"));

    PreviousDeployment previous =
        later.findPreviousDeployment(
            new FindPreviousDeploymentRequest("expenses", "dev", "release-expenses-v3-dev", "run-d"));
    PreviousDeployment beforeTheRedeployment =
        later.findPreviousDeployment(
            new FindPreviousDeploymentRequest("expenses", "dev", "release-expenses-v1-dev", "run-c"));

    assertThat(previous)
        .extracting(PreviousDeployment::version, PreviousDeployment::deployedAt)
        .containsExactly("v1", "2025-03-01T12:02:00Z");
    assertThat(beforeTheRedeployment.version()).isEqualTo("v2");
  }

  private static RecordDeploymentRequest deployment(String version, String workflowId) {
    return deployment(version, workflowId, "run-1");
  }

  private static RecordDeploymentRequest deployment(String version, String workflowId, String runId) {
    return new RecordDeploymentRequest("expenses", "dev", version, "c0ffee", workflowId, runId);
  }

  private static FindPreviousDeploymentRequest previousOf(String environment, String workflowId) {
    return new FindPreviousDeploymentRequest("expenses", environment, workflowId, "run-1");
  }

  @Test
  void givenNoRepositoryVariable_whenBuiltFromTheEnvironment_itShouldServeNoReleases() {
    assertThat(WorkerSettings.fromEnvironment(Map.of("SILO_STATE_DIR", worker.toString())).release()
        .repositoryTemplate()).isEmpty();
  }

  private ReleaseActivitiesImpl activities(Clock clock) {
    return new ReleaseActivitiesImpl(
        repositories + "/{project}.git", worker.resolve("workspaces"), worker.resolve("state"), clock,
        Map.of("EXPENSES_DEV_DB_PASSWORD", "s3cret", "SLACK_URL", " "));
  }

  private ApplicationFailure prepareFailure(String version) {
    return catchThrowableOfType(
        ApplicationFailure.class,
        () -> activities.prepare(new PrepareReleaseRequest("expenses", version)));
  }

  private static MarkVersionBadRequest mark(String environment, String reason) {
    return new MarkVersionBadRequest(
        "expenses", "v1.0.0", environment, reason, "release-expenses-" + environment);
  }

  private static RevCommit commitAndTag(Git git, String tag) throws GitAPIException {
    git.add().addFilepattern(".").call();
    RevCommit commit =
        git.commit().setMessage("Release " + tag).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
    git.tag().setName(tag).setAnnotated(true).setMessage(tag).setTagger(AUTHOR).setObjectId(commit).call();
    return commit;
  }

  /** A file of {@code bytes} bytes, valid SQL: one long comment. */
  private static void writeBig(Path file, long bytes) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("-- ");
      String chunk = "x".repeat(1024);
      long written = 3;
      for (; written + chunk.length() <= bytes - 1; written += chunk.length()) {
        out.write(chunk);
      }
      out.write("x".repeat((int) (bytes - 1 - written)));
      out.write("\n");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  /** The release activities as the worker builds them from this environment. */
  private static ReleaseActivitiesImpl fromEnvironment(Map<String, String> environment) {
    WorkerSettings settings = WorkerSettings.fromEnvironment(environment);
    return new ReleaseActivitiesImpl(settings.release(), settings.stateDirectory(), settings.environment());
  }
}
