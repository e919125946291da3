package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.sandbox.release.WebhookReceiver;
import dev.silo.workflows.release.EarlierDeployment;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/release/.github/workflows/deploy.yml} run step by step, as a runner would, against
 * the release demo's local stack (dev server, worker with the real activities, PostgreSQL, the
 * example release repository, a webhook receiver standing in for Slack), with {@code silo} being
 * this project's CLI. No GitHub involved: the expressions come from a map.
 */
class DeployWorkflowFileIT {

  private static final String PROJECT = ReleaseDemoEnvironment.PROJECT;
  private static final String VERSION = ReleaseDemoEnvironment.VERSION;

  @TempDir Path runner;

  private ReleaseDemoEnvironment demo;
  private Path workflowFile;

  @BeforeEach
  void start() {
    Path repository = repository();
    workflowFile = repository.resolve("examples/release/.github/workflows/deploy.yml");
    demo = ReleaseDemoEnvironment.start(repository, System.getenv(), false, line -> { });
  }

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void givenAPushThenADispatchToStaging_whenTheirJobsRun_itShouldDeployDevThenResumeAtStagingAndTellSlack()
      throws Exception {
    GitHubActionsJob push = new GitHubActionsJob(workflowFile, "auto-deploy");
    assertThat(push.condition()).isEqualTo("github.event_name == 'push'");

    GitHubActionsJob.Result pushed = push.run(expressions(VERSION, "staging"), runnerEnvironment(), runner);

    assertThat(pushed.succeeded()).as(pushed.toString()).isTrue();
    assertThat(pushed.step("Start the automatic promotion").output())
        .contains("Started the release of " + PROJECT + " " + VERSION + " to prod").contains("(automatic)");
    ReleaseReport automatic = demo.releaseReport().orElseThrow();
    assertThat(automatic.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(automatic.automatic()).isTrue();
    assertThat(automatic.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("dev", EnvironmentStatus.SUCCEEDED));

    GitHubActionsJob dispatch = new GitHubActionsJob(workflowFile, "promote");
    assertThat(dispatch.condition()).isEqualTo("github.event_name == 'workflow_dispatch'");
    GitHubActionsJob.Result promoted = dispatch.run(expressions(VERSION, "staging"), runnerEnvironment(), runner);

    assertThat(promoted.succeeded()).as(promoted.toString()).isTrue();
    assertThat(promoted.step("Promote and wait for the result").output()).contains("RELEASE SUCCEEDED")
        .contains("dev : already deployed ");
    ReleaseReport manual = demo.releaseReport().orElseThrow();
    assertThat(manual.alreadyDeployed()).extracting(EarlierDeployment::environment).containsExactly("dev");
    assertThat(manual.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("staging", EnvironmentStatus.SUCCEEDED));
    assertThat(demo.webhooks().slackMessages()).extracting(WebhookReceiver.SlackMessage::text)
        .containsExactly("✅ Deployment to staging complete: " + VERSION);

    String listed = awaitListed("\"releaseStatus\":\"SUCCEEDED\",\"currentEnvironment\":\"staging\"");
    assertThat(listed).contains("\"project\":\"" + PROJECT + "\",\"version\":\"" + VERSION + "\",\"target\":\"staging\"");
  }

  /**
   * Lists the project's promotions until the newest is listed as expected: the real server's
   * visibility store is updated a moment after the run.
   */
  private String awaitListed(String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
      int exit = demo.cli(stream, stream, "release", "list", "--project", PROJECT, "--output", "json");
      last = out.toString(StandardCharsets.UTF_8);
      if (exit == 0 && last.contains(expected)) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the promotion was never listed with " + expected + "; last: " + last);
  }

  @Test
  void givenADispatchWhosePromotionFails_whenItsJobRuns_itShouldFailTheJobAndTellSlackNothing() throws Exception {
    GitHubActionsJob dispatch = new GitHubActionsJob(workflowFile, "promote");

    GitHubActionsJob.Result promoted =
        dispatch.run(expressions("v9.9.9-missing", "production"), runnerEnvironment(), runner);

    assertThat(promoted.succeeded()).isFalse();
    GitHubActionsJob.StepRun promotion = promoted.step("Promote and wait for the result");
    assertThat(promotion.exitCode()).as(promotion.output()).isEqualTo(1);
    assertThat(promotion.output()).contains("to prod").contains("RELEASE REFUSED");
    assertThat(promoted.steps()).extracting(GitHubActionsJob.StepRun::name)
        .as("the Slack step does not run after a failed step").doesNotContain("Notify Slack");
    assertThat(demo.webhooks().slackMessages()).isEmpty();
  }

  /** The expressions deploy.yml uses, as GitHub would give them for this stack. */
  private Map<String, String> expressions(String sha, String environment) {
    Map<String, String> values = new HashMap<>();
    values.put("secrets.TEMPORAL_ADDRESS", demo.cliEnvironment().get("TEMPORAL_ADDRESS"));
    values.put("vars.TEMPORAL_NAMESPACE", demo.cliEnvironment().get("TEMPORAL_NAMESPACE"));
    values.put("secrets.SILO_PAYLOAD_KEY", demo.cliEnvironment().get("SILO_PAYLOAD_KEY"));
    values.put("vars.SILO_PROJECT", PROJECT);
    values.put("secrets.SILO_SIGNING_KEY", "");
    values.put("github.sha", sha);
    values.put("github.actor", "release-bot");
    values.put("github.event.inputs.environment", environment);
    values.put("secrets.SLACK_WEBHOOK", demo.webhooks().slackUrl());
    return values;
  }

  /**
   * A runner's environment: a HOME without SSH keys (the start goes unsigned, as the demo's worker
   * accepts), and {@code silo} on the PATH, running this project's CLI.
   */
  private Map<String, String> runnerEnvironment() throws IOException {
    Path bin = Files.createDirectories(runner.resolve("bin"));
    Path silo = bin.resolve("silo");
    if (!Files.exists(silo)) {
      Files.writeString(silo, "#!/usr/bin/env bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
          + "' -cp '" + System.getProperty("java.class.path") + "' dev.silo.starter.SiloCli \"$@\"\n");
      Files.setPosixFilePermissions(silo, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path home = Files.createDirectories(runner.resolve("home"));
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", bin + ":" + System.getenv("PATH"));
    environment.put("HOME", home.toString());
    environment.put("GITHUB_WORKSPACE", runner.toString());
    environment.put("GITHUB_PATH", runner.resolve("github_path").toString());
    environment.put("RUNNER_TEMP", runner.toString());
    environment.put("LANG", "C.UTF-8");
    return environment;
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
