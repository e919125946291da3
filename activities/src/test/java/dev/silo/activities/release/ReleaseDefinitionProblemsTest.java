package dev.silo.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.silo.workflows.release.RollbackTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Breaks a definition one way per test and checks the problem a user reads, file and line. */
class ReleaseDefinitionProblemsTest {

  private static final Path EXAMPLE_ENVIRONMENTS =
      Path.of("..", "examples", "release", "environments");

  @TempDir Path directory;

  private Path pipeline;
  private Path environments;

  @BeforeEach
  void copyExampleEnvironments() throws IOException {
    pipeline = directory.resolve("pipeline.yml");
    environments = Files.createDirectory(directory.resolve("environments"));
    try (Stream<Path> files = Files.list(EXAMPLE_ENVIRONMENTS)) {
      for (Path file : files.toList()) {
        Files.copy(file, environments.resolve(file.getFileName().toString()));
      }
    }
  }

  @Test
  void givenAnUnknownStepKey_whenLoaded_itShouldNameTheKeyAndItsLine() throws Exception {
    writePipeline(
        """
        pre_flight:
          - name: Tests pass
            command: mvn test
            blockng: true
        """);

    assertThat(problems())
        .containsExactly(
            pipeline
                + ":4: unknown key 'blockng' in step 'Tests pass' of pre_flight; a step's keys"
                + " are name, kind, command, endpoint, expected, timeout, blocking, file, sql,"
                + " directory, role, claims, expect_visible, expect_denied, webhook_env,"
                + " message");
  }

  @Test
  void givenAnUnknownStage_whenLoaded_itShouldNameItAndItsLine() throws Exception {
    writePipeline(
        """
        pre_flight: []
        smoke_tests:
          - name: Home page
            endpoint: /
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(pipeline + ":2: unknown key 'smoke_tests' in a pipeline document");
  }

  @Test
  void givenAnUnknownKind_whenLoaded_itShouldNameTheKindAndItsLine() throws Exception {
    writePipeline(
        """
        schema_deploy:
          - name: Backup
            kind: snapshot
        """);

    assertThat(problems())
        .containsExactly(
            pipeline
                + ":3: unknown kind 'snapshot' in step 'Backup' of schema_deploy; the kinds are"
                + " command, endpoint, backup, restore, migrate, sql, rls-test, notify,"
                + " incident");
  }

  @Test
  void givenAKeyOfAnotherKind_whenLoaded_itShouldSayItDoesNotApply() throws Exception {
    writePipeline(
        """
        rls_deploy:
          - name: Policies
            command: psql -f rls.sql
            role: admin
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(
            pipeline
                + ":4: key 'role' does not apply to step 'Policies' of rls_deploy, a command"
                + " step; its keys are name, kind, timeout, blocking, command");
  }

  @Test
  void givenAnUnknownTrigger_whenLoaded_itShouldNameTheTriggerAndItsLine() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - health_check_failure
            - disk_full (>90%)
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(pipeline + ":4: unknown rollback trigger 'disk_full (>90%)'; the triggers are");
  }

  @Test
  void givenTriggersAsMappings_whenLoaded_itShouldReadTheirThresholds() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - kind: health_check_failure
            - kind: error_rate
              above: 0.5%
            - kind: p99_latency
              above: 1500ms
        """);

    assertThat(new ReleaseDefinitionLoader().loadPipeline("p", pipeline).rollback().triggers())
        .containsExactly(
            RollbackTrigger.healthCheckFailure(),
            RollbackTrigger.errorRateAbove(0.5),
            RollbackTrigger.p99LatencyAbove(Duration.ofMillis(1500)));
  }

  @Test
  void givenTriggersWithFailureAndInconclusiveLimits_whenLoaded_itShouldKeepThemAndRefuseZero() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - health_check_failure
            - kind: error_rate
              above: 1%
              failure_limit: 3
              inconclusive_limit: 2
            - kind: p99_latency
              above: 5s
              failure_limit: 0
        """);

    assertThat(problems())
        .containsExactly(
            pipeline + ":10: failure_limit of a rollback trigger must be a whole number from 1 to"
                + " 1000, not '0'");
    writePipeline(
        """
        rollback:
          triggers:
            - health_check_failure
            - kind: error_rate
              above: 1%
              failure_limit: 3
              inconclusive_limit: 2
        """);
    assertThat(new ReleaseDefinitionLoader().loadPipeline("p", pipeline).rollback().triggers())
        .containsExactly(
            RollbackTrigger.healthCheckFailure(),
            RollbackTrigger.errorRateAbove(1).withLimits(3, 2));
  }

  @Test
  void givenAnUnknownTriggerKindInAMapping_whenLoaded_itShouldNameItAndItsLine() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - kind: cpu
              above: 90%
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(pipeline + ":3: unknown rollback trigger kind 'cpu'");
  }

  @Test
  void givenATriggerWithoutItsThreshold_whenLoaded_itShouldAskForOne() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - error_rate_spike
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(pipeline + ":3: rollback trigger 'error_rate_spike' needs a threshold");
  }

  @Test
  void givenABadDuration_whenLoaded_itShouldNameTheValueAndItsLine() throws Exception {
    writePipeline(
        """
        health_checks:
          - name: Database connectivity
            endpoint: /health/db
            timeout: 5 seconds
        """);

    assertThat(problems())
        .containsExactly(
            pipeline
                + ":4: bad duration '5 seconds' for timeout of step 'Database connectivity' of"
                + " health_checks; write it like 5s, 10m or 1m30s");
  }

  @Test
  void givenAStepTimeoutLongerThanADay_whenLoaded_itShouldNameTheValueTheRangeAndItsLine() throws Exception {
    writePipeline(
        """
        health_checks:
          - name: Database connectivity
            endpoint: /health/db
            timeout: 48h
        """);

    assertThat(problems())
        .containsExactly(
            pipeline
                + ":4: timeout of step 'Database connectivity' of health_checks must be from 1s to 24h,"
                + " not '48h'");
  }

  @Test
  void givenAStepTimeoutNoClockHolds_whenLoaded_itShouldRefuseItAtItsLine() throws Exception {
    writePipeline(
        """
        health_checks:
          - name: Database connectivity
            endpoint: /health/db
            timeout: 99999999999h
        """);

    assertThat(problems()).singleElement().asString().startsWith(pipeline + ":4: bad duration '99999999999h'");
  }

  @Test
  void givenALatencyThresholdOverAnHour_whenLoaded_itShouldNameTheValueAndTheRange() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - latency_spike (p99 > 2h)
            - kind: p99_latency
              above: 0s
        """);

    assertThat(problems())
        .containsExactly(
            pipeline + ":3: p99 latency '2h' for latency_spike is out of range: it must be from 1ms to 1h",
            pipeline + ":5: p99 latency '0s' for above is out of range: it must be from 1ms to 1h");
  }

  @Test
  void givenAnApprovalTimeoutOverThirtyDays_whenLoaded_itShouldNameTheValueTheRangeAndItsLine() throws Exception {
    writeValidPipeline();
    Path prod = environments.resolve("prod.yml");
    Files.writeString(prod, Files.readString(prod).replace("approval_timeout: 24h", "approval_timeout: 1000h"));

    assertThat(problems())
        .containsExactly(prod + ":9: approval_timeout of environment prod must be from 1m to 720h, not '1000h'");
  }

  @Test
  void givenABadLatencyThreshold_whenLoaded_itShouldNameTheValueAndItsLine() throws Exception {
    writePipeline(
        """
        rollback:
          triggers:
            - latency_spike (p99 > 5 sec)
        """);

    assertThat(problems()).singleElement().asString().startsWith(pipeline + ":3: ");
  }

  @Test
  void givenAStepWithoutName_whenLoaded_itShouldPointAtTheStep() throws Exception {
    writePipeline(
        """
        function_deploy:
          - name: Deploy functions
            command: supabase functions deploy --all

          - command: psql -f functions.sql
        """);

    assertThat(problems()).containsExactly(pipeline + ":5: a step of function_deploy has no name");
  }

  @Test
  void givenAStepWithNeitherCommandNorKind_whenLoaded_itShouldListTheKinds() throws Exception {
    writePipeline(
        """
        pre_flight:
          - name: Nothing to do
            blocking: true
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(
            pipeline + ":2: step 'Nothing to do' of pre_flight has no command, endpoint or kind");
  }

  @Test
  void givenAnRlsTestWithoutExpectation_whenLoaded_itShouldAskForOne() throws Exception {
    writePipeline(
        """
        rls_deploy:
          - name: Employee sees own rows
            kind: rls-test
            role: employee
            sql: select * from expenses
        """);

    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith(
            pipeline
                + ":2: step 'Employee sees own rows' of rls_deploy must have exactly one of"
                + " expect_visible");
  }

  @Test
  void givenAStageWrittenTwice_whenLoaded_itShouldPointAtBoth() throws Exception {
    writePipeline(
        """
        pre_flight: []
        ---
        pre_flight: []
        """);

    assertThat(problems())
        .containsExactly(pipeline + ":3: pre_flight is already written at line 1");
  }

  @Test
  void givenInvalidYaml_whenLoaded_itShouldReportTheLine() throws Exception {
    writePipeline(
        """
        pre_flight:
          - name: Tests
            command: [unclosed
        """);

    assertThat(problems()).singleElement().asString().startsWith(pipeline + ":");
    assertThat(problems().get(0)).contains("invalid YAML");
  }

  @Test
  void givenAnEnvironmentFileWithAnUnknownKey_whenLoaded_itShouldNameTheKeyAndItsLine()
      throws Exception {
    writeValidPipeline();
    Path staging = environments.resolve("staging.yml");
    Files.writeString(staging, Files.readString(staging) + "supabase_projet: ipai-staging\n");

    assertThat(problems())
        .containsExactly(
            staging
                + ":11: unknown key 'supabase_projet' in environment staging; the keys are"
                + " environment, supabase_project, odoo_url, auto_deploy, require_approval, approvers, min_approvals,"
                + " approval_timeout, allow_unsigned_decisions, database, base_url, metrics_url, watch_window, watch_interval, error_rate_query, p99_query");
  }

  @Test
  void givenAPasswordInAnEnvironmentFile_whenLoaded_itShouldAskForItsVariable() throws Exception {
    writeValidPipeline();
    Files.writeString(
        environments.resolve("dev.yml"),
        """
        environment: dev
        auto_deploy: true
        database:
          host: localhost
          name: expenses
          user: deployer
          password: hunter2
        base_url: http://localhost:8080
        """);

    assertThat(problems())
        .containsExactly(
            environments.resolve("dev.yml")
                + ":7: a password must not be written in an environment file; name the"
                + " environment variable holding it with password_env",
            environments.resolve("dev.yml") + ":4: database has no password_env");
  }

  @Test
  void givenProdWithTooFewApprovers_whenLoaded_itShouldSaySo() throws Exception {
    writeValidPipeline();
    Path prod = environments.resolve("prod.yml");
    Files.writeString(prod, Files.readString(prod).replace("min_approvals: 2", "min_approvals: 4"));

    assertThat(problems())
        .containsExactly(prod + ":8: min_approvals is 4 but only 3 approver(s) are named");
  }

  @Test
  void givenTheRunbookProdBlock_whenLoaded_itShouldReadItsApprovers() throws Exception {
    writeValidPipeline();
    Path prod = environments.resolve("prod.yml");
    // The runbook writes approvers unquoted, which YAML alone rejects.
    Files.writeString(
        prod,
        Files.readString(prod)
            .replace("\"@devops-lead\"", "@devops-lead")
            .replace("\"@finance-owner\"", "@finance-owner"));

    assertThat(new ReleaseDefinitionLoader().loadEnvironments(environments).get(3).approvers())
        .containsExactly("@devops-lead", "@engineering-manager", "@finance-owner");
  }

  @Test
  void givenAMissingAndAnUnknownEnvironment_whenLoaded_itShouldReportBoth() throws Exception {
    writeValidPipeline();
    Files.delete(environments.resolve("uat.yml"));
    Files.writeString(environments.resolve("qa.yml"), "environment: qa\n");

    assertThat(problems())
        .containsExactly(
            environments.resolve("qa.yml")
                + ": unknown environment 'qa'; the environments are dev, staging, uat, prod",
            environments.resolve("uat.yml") + ": file is missing");
  }

  @Test
  void givenSeveralProblems_whenLoaded_itShouldReportThemAllAtOnce() throws Exception {
    writePipeline(
        """
        pre_flight:
          - name: Tests pass
            command: mvn test
            retries: 3
        schema_deploy:
          - name: Backup
            kind: snapshot
          - command: supabase db push
        health_checks:
          - name: Database connectivity
            endpoint: /health/db
            timeout: soon
        rollback:
          triggers:
            - disk_full
        """);
    Path dev = environments.resolve("dev.yml");
    Files.writeString(dev, Files.readString(dev) + "region: eu\n");

    ReleaseDefinitionException failure = failure();

    assertThat(failure.renderedProblems())
        .hasSize(6)
        .anySatisfy(p -> assertThat(p).startsWith(pipeline + ":4: unknown key 'retries'"))
        .anySatisfy(p -> assertThat(p).startsWith(pipeline + ":7: unknown kind 'snapshot'"))
        .anySatisfy(
            p -> assertThat(p).startsWith(pipeline + ":8: a step of schema_deploy has no name"))
        .anySatisfy(p -> assertThat(p).startsWith(pipeline + ":12: bad duration 'soon'"))
        .anySatisfy(
            p -> assertThat(p).startsWith(pipeline + ":15: unknown rollback trigger 'disk_full'"))
        .anySatisfy(p -> assertThat(p).startsWith(dev + ":12: unknown key 'region'"));
    assertThat(failure.getMessage()).startsWith("release definition has 6 problem(s):\n  - ");
  }

  private void writePipeline(String yaml) throws IOException {
    Files.writeString(pipeline, yaml);
  }

  private void writeValidPipeline() throws IOException {
    writePipeline(
        """
        pre_flight:
          - name: Tests pass
            command: mvn test
            blocking: true
        """);
  }

  private List<String> problems() {
    return failure().renderedProblems();
  }

  private ReleaseDefinitionException failure() {
    return assertThatExceptionOfType(ReleaseDefinitionException.class)
        .isThrownBy(() -> new ReleaseDefinitionLoader().load("p", pipeline, environments))
        .actual();
  }
}
