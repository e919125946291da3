package dev.silo.activities.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.command.CommandActivities;
import dev.silo.workflows.command.CommandResult;
import dev.silo.workflows.command.RunCommandRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandActivitiesImplTest {

  private static final String SECRET = "s3cr3t-deploy-token";

  @TempDir Path temp;

  private ReleaseRepository repository;
  private Path workspaces;
  private CommandActivitiesImpl activities;

  @BeforeEach
  void createRepository() throws Exception {
    repository = ReleaseRepository.create(temp);
    workspaces = temp.resolve("workspaces");
    activities = new CommandActivitiesImpl(workspaces, Map.of(
        "PATH", System.getenv("PATH"),
        "HOME", temp.toString(),
        "DEPLOY_TOKEN", SECRET,
        "WORKER_ONLY", "never-for-commands"));
  }

  @Test
  void givenATag_whenRunningACommand_itShouldRunInACheckoutOfThatTag() {
    CommandResult result = activities.runCommand(request("v1", "cat VERSION; git rev-parse HEAD"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.timedOut()).isFalse();
    assertThat(result.outputTail()).isEqualTo("1.0.0\n" + repository.v1Commit + "\n");
  }

  @Test
  void givenAnAnnotatedTagABranchAndACommitId_whenRunningACommand_itShouldCheckOutTheirCommits() {
    assertThat(activities.runCommand(request("v2", "bash check.sh")).outputTail()).isEqualTo("checking 2.0.0\n");
    assertThat(activities.runCommand(request("main", "cat VERSION")).outputTail()).isEqualTo("2.0.0\n");
    assertThat(activities.runCommand(request("refs/heads/main", "cat VERSION")).outputTail()).isEqualTo("2.0.0\n");
    assertThat(activities.runCommand(request(repository.v1Commit.substring(0, 10), "cat VERSION")).outputTail())
        .isEqualTo("1.0.0\n");
  }

  @Test
  void givenAWorkspaceFromAnEarlierRun_whenRunningAgain_itShouldReuseTheCloneAndResetItToTheVersion()
      throws Exception {
    activities.runCommand(request("v2",
        "echo tampered > VERSION; rm check.sh; mkdir -p build; echo out > build/app; echo x > stray.txt"));
    Path marker = workspaces.resolve("acme-staging/.git/kept-between-runs");
    Files.writeString(marker, "the same clone");

    CommandResult again = activities.runCommand(request("v2", "cat VERSION; ls -A | grep -v '^.git$'"));
    CommandResult older = activities.runCommand(request("v1", "cat VERSION; ls -A | grep -v '^.git$'"));

    assertThat(marker).hasContent("the same clone");
    assertThat(again.outputTail()).isEqualTo("2.0.0\n.gitignore\nVERSION\ncheck.sh\n");
    assertThat(older.outputTail()).isEqualTo("1.0.0\n.gitignore\nVERSION\n");
  }

  @Test
  void givenAFailingCommand_whenRunning_itShouldReturnItsExitCodeAndOutputAsAResult() {
    CommandResult result = activities.runCommand(request("v1", "echo 'migrations pending' >&2; exit 3"));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.timedOut()).isFalse();
    assertThat(result.outputTail()).isEqualTo("migrations pending\n");
  }

  @Test
  void givenALongOutput_whenRunning_itShouldKeepOnlyItsLast4Kb() {
    CommandResult result = activities.runCommand(request("v1", "for i in $(seq 1 5000); do echo \"line $i\"; done"));

    assertThat(result.outputTail()).hasSize(OutputTail.SHOWN_CHARS).endsWith("line 4999\nline 5000\n")
        .doesNotContain("line 1\n");
  }

  @Test
  void givenPassedThroughVariables_whenRunning_itShouldSeeOnlyThemAndMaskTheirValues() {
    RunCommandRequest request = new RunCommandRequest("acme-staging", repository.bare.toString(), "v1",
        "echo \"token=$TOKEN\"; echo \"worker=${WORKER_ONLY:-unset}\"; printf '%s' \"$TOKEN\" | rev",
        Duration.ofSeconds(30), Map.of("TOKEN", "DEPLOY_TOKEN"));

    CommandResult result = activities.runCommand(request);

    assertThat(result.outputTail())
        .startsWith("token=***\nworker=unset\n")
        .doesNotContain(SECRET);
  }

  @Test
  void givenAVariableTheWorkerDoesNotSet_whenRunning_itShouldFailWithoutRetryNamingIt() {
    RunCommandRequest request = new RunCommandRequest("acme-staging", repository.bare.toString(), "v1",
        "true", Duration.ofSeconds(30), Map.of("TOKEN", "NOT_ON_THE_WORKER"));

    ApplicationFailure failure = catchThrowableOfType(() -> activities.runCommand(request), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_CONFIG");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("NOT_ON_THE_WORKER");
  }

  @Test
  void givenACommandOutlivingItsTimeout_whenRunning_itShouldKillItsWholeProcessTree() throws Exception {
    CommandResult result = activities.runCommand(new RunCommandRequest("acme-staging",
        repository.bare.toString(), "v1", "echo started; sleep 30 & echo $! > sleeper.pid; wait",
        Duration.ofSeconds(1), Map.of()));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.succeeded()).isFalse();
    assertThat(result.durationMillis()).isBetween(900L, 10_000L);
    assertThat(result.outputTail()).isEqualTo("started\n");
    long sleeper = Long.parseLong(Files.readString(workspaces.resolve("acme-staging/sleeper.pid")).strip());
    // SIGKILL is delivered asynchronously; the orphan is gone once its new parent reaps it.
    ProcessHandle.of(sleeper).ifPresent(
        process -> assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(5)));
  }

  @Test
  void givenASleepLongerThanTheTimeout_whenRunning_itShouldStopAtTheTimeout() {
    CommandResult result = activities.runCommand(request("v1", "sleep 30", Duration.ofMillis(500)));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.durationMillis()).isLessThan(10_000L);
  }

  @Test
  void givenAMissingVersion_whenRunning_itShouldFailWithNotFoundWithoutRetry() {
    ApplicationFailure failure = catchThrowableOfType(
        () -> activities.runCommand(request("v9", "true")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("NOT_FOUND");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("v9");
  }

  @Test
  void givenAMissingRepository_whenRunning_itShouldFailWithNotFoundWithoutRetry() {
    RunCommandRequest request = new RunCommandRequest("acme-staging", temp.resolve("nowhere.git").toString(),
        "v1", "true", Duration.ofSeconds(5), Map.of());

    ApplicationFailure failure = catchThrowableOfType(() -> activities.runCommand(request), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("NOT_FOUND");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenAWorkerWithoutBash_whenRunning_itShouldFailClearlyWithoutRetry() {
    CommandActivitiesImpl withoutBash = new CommandActivitiesImpl(workspaces, Map.of("PATH", temp.toString()));

    ApplicationFailure failure = catchThrowableOfType(
        () -> withoutBash.runCommand(request("v1", "true")), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("NOT_FOUND");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith("bash not found on the worker's PATH");
  }

  @Test
  void givenAMalformedRequest_whenRunning_itShouldListEveryProblem() {
    RunCommandRequest request = new RunCommandRequest("../escape", repository.bare.toString(), "v1", " ",
        Duration.ZERO, Map.of());

    ApplicationFailure failure = catchThrowableOfType(() -> activities.runCommand(request), ApplicationFailure.class);

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
    assertThat(failure.getOriginalMessage()).contains("workspace key", "command is missing", "timeout");
  }

  @Test
  void givenARunningActivity_whenTheCommandTakesAWhile_itShouldHeartbeat() {
    CommandActivitiesImpl fastBeats = new CommandActivitiesImpl(workspaces,
        Map.of("PATH", System.getenv("PATH")), Duration.ofMillis(100));
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      List<String> heartbeats = new CopyOnWriteArrayList<>();
      environment.setActivityHeartbeatListener(String.class, heartbeats::add);
      environment.registerActivitiesImplementations(fastBeats);
      CommandActivities stub = environment.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setHeartbeatTimeout(Duration.ofSeconds(1))
          .build());

      CommandResult result = stub.runCommand(request("v2", "sleep 2; cat VERSION"));

      // The SDK throttles heartbeats to a fraction of the heartbeat timeout, keeping the latest.
      assertThat(result.outputTail()).isEqualTo("2.0.0\n");
      assertThat(heartbeats).startsWith("checking out v2")
          .anySatisfy(beat -> assertThat(beat).startsWith("command running for"));
    } finally {
      environment.close();
    }
  }

  @Test
  void givenAMissingVersionInAnActivity_whenRunning_itShouldReachTheWorkflowAsNotFound() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(activities);
      CommandActivities stub = environment.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build());

      ActivityFailure failure = catchThrowableOfType(() -> stub.runCommand(request("v9", "true")), ActivityFailure.class);

      assertThat(failure.getCause()).isInstanceOfSatisfying(ApplicationFailure.class,
          cause -> assertThat(cause.getType()).isEqualTo("NOT_FOUND"));
    } finally {
      environment.close();
    }
  }

  private RunCommandRequest request(String version, String command) {
    return request(version, command, Duration.ofSeconds(30));
  }

  private RunCommandRequest request(String version, String command, Duration timeout) {
    return new RunCommandRequest("acme-staging", repository.bare.toString(), version, command, timeout, Map.of());
  }
}
