package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.PrepareReleaseRequest;
import dev.silo.workflows.release.PreparedRelease;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepares versions whose environment files lower their own approval rules, from local bare
 * repositories holding {@code examples/release} on their default branch, and checks that the rules
 * prepared are the protected ones: the worker's protection file first, then the default branch.
 */
class ProtectedApprovalRulesTest {

  // Surefire runs in the module's directory, and the example lives next to the modules.
  private static final Path EXAMPLE = Path.of("..", "examples", "release");
  private static final PersonIdent AUTHOR = new PersonIdent("Silo Test", "silo@example.test");
  private static final List<String> EXAMPLE_PROD_APPROVERS =
      List.of("@devops-lead", "@engineering-manager", "@finance-owner");

  @TempDir static Path repositories;

  /** The commit the default branch {@code main} of {@code expenses} is at. */
  private static String expensesMain;

  @TempDir Path worker;

  @BeforeAll
  static void createTheRepositories() throws Exception {
    expensesMain = expenses();
    payroll();
    ledger();
    budget();
  }

  /**
   * {@code main} is the example; the branch {@code feature} lowers prod's approval in {@code
   * v2.0.0-no-approval} (and moves its base URL), then admits unsigned decisions in {@code
   * v2.1.0-unsigned}.
   */
  private static String expenses() throws Exception {
    try (Git work = example("expenses")) {
      String main = work.getRepository().resolve("HEAD").name();
      work.checkout().setCreateBranch(true).setName("feature").call();
      rewrite(work, "environments/prod.yml", Map.of("require_approval: true", "require_approval: false",
          "base_url: https://expenses.example", "base_url: https://v2.expenses.example"));
      commitAndTag(work, "v2.0.0-no-approval");
      rewrite(work, "environments/prod.yml", Map.of("require_approval: false", "require_approval: true",
          "min_approvals: 2", "min_approvals: 2\nallow_unsigned_decisions: true"));
      commitAndTag(work, "v2.1.0-unsigned");
      push(work, "expenses", "main", "feature");
      return main;
    }
  }

  /** {@code main} has no {@code environments/prod.yml}; {@code v1.0.0} adds it without approval. */
  private static void payroll() throws Exception {
    try (Git work = example("payroll")) {
      Path prod = work.getRepository().getWorkTree().toPath().resolve("environments/prod.yml");
      String written = Files.readString(prod);
      work.rm().addFilepattern("environments/prod.yml").call();
      commitAndTag(work, "without-prod");
      push(work, "payroll", "main");
      work.checkout().setCreateBranch(true).setName("feature").call();
      Files.writeString(prod, written.replace("require_approval: true", "require_approval: false"));
      commitAndTag(work, "v1.0.0");
      push(work, "payroll", "feature");
    }
  }

  /** HEAD of the bare repository names {@code master}, which was never pushed. */
  private static void ledger() throws Exception {
    try (Git work = example("ledger")) {
      push(work, "ledger", "main");
    }
    try (Git bare = Git.open(repositories.resolve("ledger.git").toFile())) {
      RefUpdate head = bare.getRepository().updateRef(Constants.HEAD);
      assertThat(head.link("refs/heads/master")).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.NEW);
    }
  }

  /** {@code main}'s prod file asks for more approvals than it names approvers; {@code v1.0.0} is fine. */
  private static void budget() throws Exception {
    try (Git work = example("budget")) {
      rewrite(work, "environments/prod.yml", Map.of("min_approvals: 2", "min_approvals: many"));
      commitAndTag(work, "broken-main");
      push(work, "budget", "main");
      work.checkout().setCreateBranch(true).setName("feature").call();
      rewrite(work, "environments/prod.yml", Map.of("min_approvals: many", "min_approvals: 2"));
      commitAndTag(work, "v1.0.0");
      push(work, "budget", "feature");
    }
  }

  @Test
  void givenAVersionThatTurnsProdApprovalOff_whenPrepared_itShouldRequireTheTwoApprovalsOfTheDefaultBranch() {
    PreparedRelease release = prepare(activities(null), "expenses", "v2.0.0-no-approval");

    EnvironmentDefinition prod = environment(release, "prod");
    assertThat(prod.requireApproval()).isTrue();
    assertThat(prod.minApprovals()).isEqualTo(2);
    assertThat(prod.approvers()).containsExactlyElementsOf(EXAMPLE_PROD_APPROVERS);
    assertThat(prod.approvalTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(release.approvalRules().source()).isEqualTo("default branch main at " + expensesMain.substring(0, 7));
    assertThat(release.approvalRules().ignored())
        .containsExactly("prod: the version's own rules (require_approval false) ignored");
  }

  @Test
  void givenAVersionThatMovesItsBaseUrl_whenPrepared_itShouldKeepTheVersionsOtherKeys() {
    PreparedRelease release = prepare(activities(null), "expenses", "v2.0.0-no-approval");

    assertThat(environment(release, "prod").baseUrl()).isEqualTo("https://v2.expenses.example");
    assertThat(environment(release, "prod").database().host()).isEqualTo("db.prod.expenses.internal");
    assertThat(environment(release, "dev").requireApproval()).isFalse();
  }

  @Test
  void givenAVersionThatAdmitsUnsignedDecisions_whenPrepared_itShouldNotAdmitThem() {
    PreparedRelease release = prepare(activities(null), "expenses", "v2.1.0-unsigned");

    assertThat(environment(release, "prod").allowUnsignedDecisions()).isFalse();
    assertThat(release.approvalRules().ignored())
        .containsExactly("prod: the version's own rules (allow_unsigned_decisions true) ignored");
  }

  @Test
  void givenTheDefaultBranchItself_whenPrepared_itShouldIgnoreNothing() {
    PreparedRelease release = prepare(activities(null), "expenses", "main");

    assertThat(release.approvalRules().ignored()).isEmpty();
    assertThat(environment(release, "uat").approvers()).containsExactly("@qa-lead");
  }

  @Test
  void givenAProtectionFile_whenPrepared_itShouldWinOverTheDefaultBranchForTheEnvironmentsItNames()
      throws IOException {
    Path file = worker.resolve("protection.yml");
    Files.writeString(file, """
        environments:
          prod:
            require_approval: true
            approvers: ["@security-a", "@security-b", "@security-c"]
            min_approvals: 3
            approval_timeout: 4h
            allow_unsigned_decisions: true
        projects:
          expenses:
            environments:
              staging:
                require_approval: true
                approvers:
                  - "@staging-owner"
          payroll:
            environments:
              prod:
                require_approval: false
        """);

    PreparedRelease release = prepare(activities(file), "expenses", "v2.0.0-no-approval");

    EnvironmentDefinition prod = environment(release, "prod");
    assertThat(prod.approvers()).containsExactly("@security-a", "@security-b", "@security-c");
    assertThat(prod.minApprovals()).isEqualTo(3);
    assertThat(prod.approvalTimeout()).isEqualTo(Duration.ofHours(4));
    assertThat(prod.allowUnsignedDecisions()).isTrue();
    EnvironmentDefinition staging = environment(release, "staging");
    assertThat(staging.requireApproval()).isTrue();
    assertThat(staging.approvers()).containsExactly("@staging-owner");
    assertThat(environment(release, "uat").approvers()).containsExactly("@qa-lead");
    assertThat(release.approvalRules().source()).isEqualTo("default branch main at " + expensesMain.substring(0, 7)
        + " for dev, uat; worker file " + file + " for staging, prod");
    assertThat(release.approvalRules().ignored()).containsExactly(
        "staging: the version's own rules (require_approval false, approvers []) ignored",
        "prod: the version's own rules (require_approval false, approvers [@devops-lead, @engineering-manager,"
            + " @finance-owner], min_approvals 2, approval_timeout 24h, allow_unsigned_decisions false) ignored");
  }

  @Test
  void givenAProtectionFileWithProblems_whenPrepared_itShouldNameEachFileAndLineAndRetryNothing()
      throws IOException {
    Path file = worker.resolve("protection.yml");
    Files.writeString(file, """
        environments:
          prod:
            require_approval: true
            approvers: ["@security-a"]
            min_approvals: two
            approve_by: friday
          production:
            require_approval: true
        """);

    ApplicationFailure failure = prepareFailure(activities(file), "expenses", "v2.0.0-no-approval");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("SILO_RELEASE_PROTECTION", "3 problem(s)")
        .contains(file + ":5: min_approvals of environment prod must be a whole number from 1 to 100, not 'two'")
        .contains(file + ":6: unknown key 'approve_by' in environment prod; the keys are require_approval,")
        .contains(file + ":7: unknown environment 'production'; the environments are dev, staging, uat, prod");
  }

  @Test
  void givenAProtectionFileWithAnApprovalTimeoutOverThirtyDays_whenPrepared_itShouldNameTheValueTheRangeAndItsLine()
      throws IOException {
    Path file = worker.resolve("protection.yml");
    Files.writeString(file, """
        environments:
          prod:
            require_approval: true
            approvers: ["@security-a"]
            approval_timeout: 99999h
        """);

    ApplicationFailure failure = prepareFailure(activities(file), "expenses", "v2.0.0-no-approval");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(file + ":5: approval_timeout of environment prod must be from"
        + " 1m to 720h, not '99999h'");
  }

  @Test
  void givenAProtectionFileThatIsNotYaml_whenPrepared_itShouldNameTheLine() throws IOException {
    Path file = worker.resolve("protection.yml");
    Files.writeString(file, "environments:\n  prod:\n    approvers: [\"@a\"\n");

    ApplicationFailure failure = prepareFailure(activities(file), "expenses", "v2.0.0-no-approval");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage()).contains("\n  - " + file + ":4: invalid YAML");
  }

  @Test
  void givenAProtectionFileThatDoesNotExist_whenPrepared_itShouldRefuseRatherThanSkipIt() {
    Path file = worker.resolve("missing.yml");

    ApplicationFailure failure = prepareFailure(activities(file), "expenses", "v2.0.0-no-approval");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.getOriginalMessage()).contains(file + ": file is missing");
  }

  @Test
  void givenTheProtectionVariable_whenBuiltFromTheEnvironment_itShouldReadTheFile() throws IOException {
    Path file = worker.resolve("protection.yml");
    Files.writeString(file, "environments:\n  dev:\n    require_approval: true\n    approvers: [\"@dev-lead\"]\n");
    ReleaseActivitiesImpl activities = fromEnvironment(Map.of(
        ReleaseActivitiesImpl.REPOSITORY_VARIABLE, repositories + "/{project}.git",
        ReleaseActivitiesImpl.PROTECTION_VARIABLE, file.toString(),
        "SILO_WORKSPACES", worker.resolve("workspaces").toString(),
        "SILO_STATE_DIR", worker.resolve("state").toString()));

    assertThat(environment(prepare(activities, "expenses", "main"), "dev").approvers()).containsExactly("@dev-lead");
  }

  @Test
  void givenADefaultBranchWithoutTheEnvironmentFile_whenPrepared_itShouldDeployNoVersionAndSayWhere() {
    ApplicationFailure failure = prepareFailure(activities(null), "payroll", "v1.0.0");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith("The approval rules of payroll for prod have no protected"
        + " source: the default branch main has no environments/prod.yml and SILO_RELEASE_PROTECTION is not set");
  }

  @Test
  void givenARepositoryWhoseHeadNamesNoBranch_whenPrepared_itShouldDeployNoVersion() {
    ApplicationFailure failure = prepareFailure(activities(null), "ledger", "ledger-example");

    assertThat(failure.getOriginalMessage()).startsWith("The approval rules of ledger for dev, staging, uat, prod"
        + " have no protected source: the repository's HEAD names no branch");
  }

  @Test
  void givenADefaultBranchWithInvalidApprovalKeys_whenPrepared_itShouldNameItsFileAndLine() {
    ApplicationFailure failure = prepareFailure(activities(null), "budget", "v1.0.0");

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_CONFIG.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("default branch main")
        .contains("environments/prod.yml:8: min_approvals of environment prod must be a whole number from 1 to 100,"
            + " not 'many'");
  }

  private ReleaseActivitiesImpl activities(Path protection) {
    return new ReleaseActivitiesImpl(repositories + "/{project}.git", worker.resolve("workspaces"),
        worker.resolve("state"), Clock.systemUTC(), Map.of(), protection);
  }

  private static PreparedRelease prepare(ReleaseActivitiesImpl activities, String project, String version) {
    return activities.prepare(new PrepareReleaseRequest(project, version));
  }

  private static ApplicationFailure prepareFailure(ReleaseActivitiesImpl activities, String project, String version) {
    return catchThrowableOfType(ApplicationFailure.class, () -> prepare(activities, project, version));
  }

  private static EnvironmentDefinition environment(PreparedRelease release, String name) {
    return release.definition().environments().stream().filter(environment -> environment.name().equals(name))
        .findFirst().orElseThrow();
  }

  /** A work tree holding the example, committed on {@code main}, and its bare repository. */
  private static Git example(String name) throws Exception {
    Path work = repositories.resolve(name + "-work");
    copy(EXAMPLE, work);
    Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call();
    commitAndTag(git, name + "-example");
    return git;
  }

  private static void push(Git work, String project, String... branches) throws GitAPIException {
    Path bare = repositories.resolve(project + ".git");
    if (!Files.exists(bare)) {
      Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    }
    List<RefSpec> specs = new ArrayList<>(List.of(new RefSpec("refs/tags/*:refs/tags/*")));
    for (String branch : branches) {
      specs.add(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch));
    }
    work.push().setRemote(bare.toString()).setRefSpecs(specs).call();
  }

  private static void rewrite(Git work, String path, Map<String, String> replacements) throws IOException {
    Path file = work.getRepository().getWorkTree().toPath().resolve(path);
    String text = Files.readString(file);
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      assertThat(text).as(path).contains(replacement.getKey());
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    Files.writeString(file, text);
  }

  private static RevCommit commitAndTag(Git git, String tag) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().setUpdate(true).addFilepattern(".").call();
    RevCommit commit =
        git.commit().setMessage("Release " + tag).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
    git.tag().setName(tag).setAnnotated(true).setMessage(tag).setTagger(AUTHOR).setObjectId(commit).call();
    return commit;
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
