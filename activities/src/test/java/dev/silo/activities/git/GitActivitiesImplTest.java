package dev.silo.activities.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.activities.settings.WorkerSettings;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.git.BranchOutcome;
import dev.silo.workflows.git.BranchRequest;
import dev.silo.workflows.git.BranchResult;
import dev.silo.workflows.git.BranchStatus;
import dev.silo.workflows.git.PushBranchRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitActivitiesImplTest {

  private static final String BRANCH = "silo/acme-crm";

  @TempDir Path temp;

  private LocalOrigin origin;
  private Path cacheDirectory;
  private GitActivitiesImpl activities;

  @BeforeEach
  void createOrigin() throws Exception {
    origin = LocalOrigin.create(temp);
    cacheDirectory = temp.resolve("cache");
    activities = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);
  }

  @AfterEach
  void closeOrigin() {
    origin.close();
  }

  @Test
  void givenNoSiloBranch_whenPushBranch_itShouldCreateItAtTheBaseCommit() throws Exception {
    BranchResult result = activities.pushBranch(push(false, null));

    assertThat(result)
        .isEqualTo(new BranchResult(BRANCH, origin.mainCommit(), null, BranchOutcome.CREATED));
    assertThat(origin.revParse(BRANCH)).isEqualTo(origin.mainCommit());
    assertThat(origin.lsRemote(BRANCH)).isEqualTo(origin.mainCommit() + "\trefs/heads/" + BRANCH);
    assertThat(origin.revParse("main")).isEqualTo(origin.mainCommit());
  }

  @Test
  void givenBranchAtBaseCommit_whenPushBranchAgain_itShouldReportAlreadyAtCommitAndChangeNothing()
      throws Exception {
    activities.pushBranch(push(false, null));
    String refsBefore = origin.allRefs();

    BranchResult result = activities.pushBranch(push(false, null));

    assertThat(result)
        .isEqualTo(
            new BranchResult(
                BRANCH, origin.mainCommit(), origin.mainCommit(), BranchOutcome.ALREADY_AT_COMMIT));
    assertThat(origin.allRefs()).isEqualTo(refsBefore);
  }

  @Test
  void givenBranchAtBaseCommit_whenGetBranchStatus_itShouldReportItWithoutOverwrite()
      throws Exception {
    activities.pushBranch(push(false, null));

    BranchStatus status = activities.getBranchStatus(new BranchRequest(BRANCH, "main"));

    assertThat(status)
        .isEqualTo(
            new BranchStatus(BRANCH, true, origin.mainCommit(), "main", origin.mainCommit()));
    assertThat(status.needsOverwrite()).isFalse();
  }

  @Test
  void givenNoSiloBranch_whenGetBranchStatus_itShouldReportItAbsent() {
    BranchStatus status = activities.getBranchStatus(new BranchRequest(BRANCH, "main"));

    assertThat(status)
        .isEqualTo(new BranchStatus(BRANCH, false, null, "main", origin.mainCommit()));
    assertThat(status.needsOverwrite()).isFalse();
  }

  @Test
  void givenBranchAtAnotherCommit_whenGetBranchStatus_itShouldNeedOverwrite() throws Exception {
    String other = origin.commitAndPush(BRANCH);

    BranchStatus status = activities.getBranchStatus(new BranchRequest(BRANCH, "main"));

    assertThat(status)
        .isEqualTo(new BranchStatus(BRANCH, true, other, "main", origin.mainCommit()));
    assertThat(status.needsOverwrite()).isTrue();
  }

  @Test
  void givenBranchAtAnotherCommit_whenPushBranchWithoutForce_itShouldConflictAndKeepTheBranch()
      throws Exception {
    String other = origin.commitAndPush(BRANCH);

    ApplicationFailure failure = failureOf(() -> activities.pushBranch(push(false, null)));

    assertThat(failure.getType()).isEqualTo(FailureType.CONFLICT.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("confirmation", other, origin.mainCommit(), BRANCH);
    assertThat(origin.revParse(BRANCH)).isEqualTo(other);
  }

  @Test
  void givenBranchAtAnotherCommit_whenPushBranchWithForceAndItsCommit_itShouldOverwriteIt()
      throws Exception {
    String other = origin.commitAndPush(BRANCH);

    BranchResult result = activities.pushBranch(push(true, other));

    assertThat(result)
        .isEqualTo(new BranchResult(BRANCH, origin.mainCommit(), other, BranchOutcome.OVERWRITTEN));
    assertThat(origin.revParse(BRANCH)).isEqualTo(origin.mainCommit());
    assertThat(origin.lsRemote(BRANCH)).startsWith(origin.mainCommit());
  }

  @Test
  void givenOverwrittenBranch_whenTheSamePushIsRetried_itShouldReportAlreadyAtCommit()
      throws Exception {
    String other = origin.commitAndPush(BRANCH);
    activities.pushBranch(push(true, other));

    BranchResult retried = activities.pushBranch(push(true, other));

    assertThat(retried.outcome()).isEqualTo(BranchOutcome.ALREADY_AT_COMMIT);
    assertThat(origin.revParse(BRANCH)).isEqualTo(origin.mainCommit());
  }

  @Test
  void givenBranchMovedSinceConfirmation_whenPushBranchWithForce_itShouldConflictAndKeepTheBranch()
      throws Exception {
    String confirmed = origin.commitAndPush(BRANCH);
    String pushedSince = origin.commitAndPush(BRANCH);

    ApplicationFailure failure = failureOf(() -> activities.pushBranch(push(true, confirmed)));

    assertThat(failure.getType()).isEqualTo(FailureType.CONFLICT.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(confirmed, pushedSince);
    assertThat(origin.revParse(BRANCH)).isEqualTo(pushedSince);
  }

  @Test
  void givenForceWithoutExpectedCommit_whenPushBranch_itShouldRefuseTheRequest() throws Exception {
    String other = origin.commitAndPush(BRANCH);

    ApplicationFailure failure = failureOf(() -> activities.pushBranch(push(true, null)));

    assertThat(failure.getType()).isEqualTo(FailureType.INVALID_REQUEST.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(origin.revParse(BRANCH)).isEqualTo(other);
  }

  @ParameterizedTest
  @CsvSource({
    "main,main",
    "master,main",
    "main,develop",
    "silo/release,silo/release",
    "feature/x,main"
  })
  void givenUntouchableBranch_whenPushBranchOrDeleteBranch_itShouldBeForbidden(
      String branch, String baseBranch) throws Exception {
    origin.commitAndPush(baseBranch);
    String refsBefore = origin.allRefs();

    ApplicationFailure pushFailure =
        failureOf(
            () -> activities.pushBranch(new PushBranchRequest(branch, baseBranch, true, null)));
    ApplicationFailure deleteFailure =
        failureOf(() -> activities.deleteBranch(new BranchRequest(branch, baseBranch)));

    assertThat(List.of(pushFailure, deleteFailure))
        .allSatisfy(
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureType.FORBIDDEN.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains(branch);
            });
    assertThat(origin.allRefs()).isEqualTo(refsBefore);
  }

  @Test
  void givenMissingBaseBranch_whenPushBranchOrGetBranchStatus_itShouldBeNotFound() {
    ApplicationFailure pushFailure =
        failureOf(() -> activities.pushBranch(new PushBranchRequest(BRANCH, "trunk", false, null)));
    ApplicationFailure statusFailure =
        failureOf(() -> activities.getBranchStatus(new BranchRequest(BRANCH, "trunk")));

    assertThat(List.of(pushFailure, statusFailure))
        .allSatisfy(
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureType.NOT_FOUND.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("trunk", origin.remote());
            });
  }

  @Test
  void givenSiloBranch_whenDeleteBranchTwice_itShouldDeleteItThenReportItAbsent() throws Exception {
    String other = origin.commitAndPush(BRANCH);

    BranchResult deleted = activities.deleteBranch(new BranchRequest(BRANCH, "main"));
    BranchResult again = activities.deleteBranch(new BranchRequest(BRANCH, "main"));

    assertThat(deleted).isEqualTo(new BranchResult(BRANCH, null, other, BranchOutcome.DELETED));
    assertThat(again).isEqualTo(new BranchResult(BRANCH, null, null, BranchOutcome.ABSENT));
    assertThat(origin.revParse(BRANCH)).isNull();
    assertThat(origin.lsRemote(BRANCH)).isEmpty();
    assertThat(origin.revParse("main")).isEqualTo(origin.mainCommit());
  }

  @Test
  void givenRemoteThatRefusesDeletions_whenDeleteBranch_itShouldBeRejectedWithoutRetry()
      throws Exception {
    String other = origin.commitAndPush(BRANCH);
    origin.configure("receive", "denyDeletes", true);

    ApplicationFailure failure =
        failureOf(() -> activities.deleteBranch(new BranchRequest(BRANCH, "main")));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(origin.revParse(BRANCH)).isEqualTo(other);
  }

  @Test
  void givenRemoteRefusingNonFastForwards_whenPushBranchWithForce_itShouldBeRejectedWithoutRetry()
      throws Exception {
    String other = origin.commitAndPush(BRANCH);
    origin.configure("receive", "denyNonFastForwards", true);

    ApplicationFailure failure = failureOf(() -> activities.pushBranch(push(true, other)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(origin.revParse(BRANCH)).isEqualTo(other);
  }

  @Test
  void givenUnreachableRemote_whenAnyOperation_itShouldFailRetryablyAsVendorUnavailable() {
    GitActivitiesImpl unreachable =
        new GitActivitiesImpl(temp.resolve("no-such-origin.git").toString(), null, cacheDirectory);

    List<ApplicationFailure> failures =
        List.of(
            failureOf(() -> unreachable.getBranchStatus(new BranchRequest(BRANCH, "main"))),
            failureOf(() -> unreachable.pushBranch(push(false, null))),
            failureOf(() -> unreachable.deleteBranch(new BranchRequest(BRANCH, "main"))));

    assertThat(failures)
        .allSatisfy(
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
              assertThat(failure.isNonRetryable()).isFalse();
            });
  }

  @Test
  void givenRemoteUrlWithCredentials_whenItFails_itShouldKeepThemOutOfTheMessage() {
    GitActivitiesImpl withCredentials =
        new GitActivitiesImpl(
            "file://alice:s3cr3t-token@" + temp.resolve("no-such-origin.git"),
            null,
            cacheDirectory);

    ApplicationFailure failure =
        failureOf(() -> withCredentials.getBranchStatus(new BranchRequest(BRANCH, "main")));

    assertThat(failure.getMessage()).doesNotContain("alice", "s3cr3t-token");
    assertThat(failure.getCause()).isNull();
  }

  @Test
  void givenCacheLeftByAnotherInstance_whenANewInstancePushes_itShouldReuseIt() throws Exception {
    activities.pushBranch(push(false, null));
    String newMain = origin.commitAndPush("main");
    GitActivitiesImpl afterRestart = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);

    BranchResult result =
        afterRestart.pushBranch(new PushBranchRequest("silo/acme-erp", "main", false, null));

    assertThat(result.outcome()).isEqualTo(BranchOutcome.CREATED);
    assertThat(origin.revParse("silo/acme-erp")).isEqualTo(newMain);
  }

  @Test
  void givenLockFilesLeftByACrash_whenPushBranch_itShouldPushAndKeepTheCacheCurrent()
      throws Exception {
    activities.pushBranch(new PushBranchRequest("silo/acme-erp", "main", false, null));
    Path repository = cacheDirectory.resolve(CacheRepository.REPOSITORY_DIRECTORY);
    Files.writeString(repository.resolve(GitRemote.CACHE_REFS + "main.lock"), "");
    Files.writeString(repository.resolve("packed-refs.lock"), "");
    String newMain = origin.commitAndPush("main");

    BranchResult result = activities.pushBranch(push(false, null));

    assertThat(result.outcome()).isEqualTo(BranchOutcome.CREATED);
    assertThat(origin.revParse(BRANCH)).isEqualTo(newMain);
    // JGit does not fail a fetch whose local ref is locked; it silently leaves the ref behind, so
    // the cache would stop keeping the base's objects reachable.
    assertThat(LocalOrigin.revParse(repository, GitRemote.CACHE_REFS + "main")).isEqualTo(newMain);
  }

  @Test
  void givenCorruptCache_whenPushBranch_itShouldRebuildTheCacheAndPush() throws Exception {
    activities.pushBranch(new PushBranchRequest("silo/acme-erp", "main", false, null));
    Path repository = cacheDirectory.resolve(CacheRepository.REPOSITORY_DIRECTORY);
    Files.writeString(repository.resolve("config"), "[core\n\tthis is not a config");

    BranchResult result = activities.pushBranch(push(false, null));

    assertThat(result.outcome()).isEqualTo(BranchOutcome.CREATED);
    assertThat(origin.revParse(BRANCH)).isEqualTo(origin.mainCommit());
  }

  @Test
  void givenTwoInstancesOnOneCache_whenPushingConcurrently_itShouldCreateEveryBranch()
      throws Exception {
    GitActivitiesImpl other = new GitActivitiesImpl(origin.remote(), null, cacheDirectory);
    List<Callable<BranchResult>> pushes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      GitActivitiesImpl instance = i % 2 == 0 ? activities : other;
      String branch = "silo/client-" + i;
      pushes.add(() -> instance.pushBranch(new PushBranchRequest(branch, "main", false, null)));
    }

    ExecutorService executor = Executors.newFixedThreadPool(pushes.size());
    List<BranchResult> results = new ArrayList<>();
    try {
      for (Future<BranchResult> future : executor.invokeAll(pushes)) {
        results.add(future.get());
      }
    } finally {
      executor.shutdownNow();
    }

    assertThat(results).extracting(BranchResult::outcome).containsOnly(BranchOutcome.CREATED);
    for (int i = 0; i < pushes.size(); i++) {
      assertThat(origin.revParse("silo/client-" + i)).isEqualTo(origin.mainCommit());
    }
  }

  @Test
  void givenNoRemoteOrAUserWithoutAToken_whenFromEnvironment_itShouldServeNoGitOrRefuseToStart() {
    assertThat(WorkerSettings.fromEnvironment(Map.of()).git()).isEmpty();
    assertThatThrownBy(
            () ->
                fromEnvironment(
                    Map.of(
                        GitActivitiesImpl.REMOTE_VARIABLE, origin.remote(),
                        GitActivitiesImpl.USERNAME_VARIABLE, "alice")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(GitActivitiesImpl.TOKEN_VARIABLE);
  }

  @Test
  void givenEnvironmentWithRemoteTokenAndCache_whenFromEnvironment_itShouldPushToThatRemote()
      throws Exception {
    GitActivitiesImpl fromEnvironment =
        fromEnvironment(
            Map.of(
                GitActivitiesImpl.REMOTE_VARIABLE, origin.remote(),
                GitActivitiesImpl.TOKEN_VARIABLE, "unused-by-a-local-remote",
                GitActivitiesImpl.CACHE_VARIABLE, temp.resolve("env-cache").toString()));

    BranchResult result = fromEnvironment.pushBranch(push(false, null));

    assertThat(result.outcome()).isEqualTo(BranchOutcome.CREATED);
    assertThat(origin.revParse(BRANCH)).isEqualTo(origin.mainCommit());
    assertThat(temp.resolve("env-cache").resolve(CacheRepository.REPOSITORY_DIRECTORY))
        .isDirectory();
  }

  private static PushBranchRequest push(boolean force, String expectedCommit) {
    return new PushBranchRequest(BRANCH, "main", force, expectedCommit);
  }

  private static ApplicationFailure failureOf(ThrowingCallable call) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(failure).as("an ApplicationFailure").isNotNull();
    return failure;
  }

  /** The activities as the worker builds them from this environment. */
  private static GitActivitiesImpl fromEnvironment(Map<String, String> environment) {
    return new GitActivitiesImpl(WorkerSettings.fromEnvironment(environment).git().orElseThrow());
  }
}
