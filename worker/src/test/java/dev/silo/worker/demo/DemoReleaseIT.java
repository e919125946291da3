package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.silo.worker.RealDevServer;
import dev.silo.workflows.release.EnvironmentReport;
import dev.silo.workflows.release.EnvironmentStatus;
import dev.silo.workflows.release.ReleaseReport;
import dev.silo.workflows.release.ReleaseStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code silo demo --release} as a user runs it, with and without {@code --inject latency}: the
 * dev server, a worker with the real activity implementations, one real PostgreSQL with a database
 * per environment, the health endpoints, metrics API and webhook receiver, and the {@code silo
 * release} commands. Each test checks what the promotion leaves behind. No container engine is
 * needed.
 */
class DemoReleaseIT {

  private static final List<String> EXAMPLE_MIGRATIONS =
      List.of("20250301090000", "20250301090500", "20250301091000");

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private ReleaseDemoEnvironment demo;

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void givenTheExampleRelease_whenPromotedToProdWithItsApprovals_itShouldSucceedEverywhereAndMigrateProd()
      throws Exception {
    int exitCode = promote(false);

    assertThat(exitCode).as(output()).isZero();
    if (RealDevServer.find(System.getenv()).isPresent()) {
      // The real server, as the silo demo chooses it: each approval names its run's Web UI page.
      assertThat(output()).contains("(In the Web UI: http://127.0.0.1:").contains("/namespaces/default/workflows/release-");
    }
    ReleaseReport report = demo.releaseReport().orElseThrow();
    assertThat(report.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    assertThat(report.environments()).extracting(EnvironmentReport::environment, EnvironmentReport::status)
        .containsExactly(tuple("dev", EnvironmentStatus.SUCCEEDED), tuple("staging", EnvironmentStatus.SUCCEEDED),
            tuple("uat", EnvironmentStatus.SUCCEEDED), tuple("prod", EnvironmentStatus.SUCCEEDED));
    assertThat(environment(report, "uat").approval().approvedBy()).containsExactly("@qa-lead");
    assertThat(environment(report, "prod").approval().approvedBy())
        .containsExactly("@devops-lead", "@engineering-manager");
    for (String environment : ReleaseDemoEnvironment.ENVIRONMENTS) {
      DemoDatabases.Contents contents = demo.databases().contents(environment);
      assertThat(contents.migrations()).as(environment).isEqualTo(EXAMPLE_MIGRATIONS);
      assertThat(contents.expenses()).as(environment).contains(4L);
    }
    assertThat(demo.webhooks().slackMessages()).isEmpty();
    assertThat(demo.webhooks().incidents()).isEmpty();
  }

  @Test
  void givenLatencyInjectedInProd_whenPromoted_itShouldRestoreProdNotifyOpenOneIncidentAndMarkTheVersionBad()
      throws Exception {
    int exitCode = promote(true);

    assertThat(exitCode).as(output()).isEqualTo(1);
    ReleaseReport report = demo.releaseReport().orElseThrow();
    assertThat(report.status()).isEqualTo(ReleaseStatus.STOPPED);
    EnvironmentReport prod = environment(report, "prod");
    assertThat(prod.status()).isEqualTo(EnvironmentStatus.ROLLED_BACK);
    assertThat(prod.reason()).contains("p99 latency 6200 ms above 5000 ms");
    assertThat(prod.badVersion()).isNotNull();
    assertThat(prod.badVersion().bad()).isTrue();
    assertThat(output()).contains(ReleaseDemoEnvironment.VERSION + " marked bad");

    assertThat(demo.webhooks().slackMessages()).singleElement()
        .satisfies(message -> assertThat(message.text())
            .startsWith("Rollback triggered: ").contains("p99 latency 6200 ms above 5000 ms"));
    assertThat(demo.webhooks().incidents()).singleElement()
        .satisfies(incident -> assertThat(incident.id()).isEqualTo("INC-1"));

    DemoDatabases.Contents prodDatabase = demo.databases().contents("prod");
    assertThat(prodDatabase.migrations()).isEmpty();
    assertThat(prodDatabase.expenses()).isEmpty();
    assertThat(demo.databases().contents("uat").migrations()).isEqualTo(EXAMPLE_MIGRATIONS);
  }

  private int promote(boolean injectLatency) throws InterruptedException {
    demo = ReleaseDemoEnvironment.start(repository(), System.getenv(), injectLatency, line -> { });
    PrintStream stream = new PrintStream(output, true, StandardCharsets.UTF_8);
    return new ReleaseDemo(stream, stream).run(demo);
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  private static EnvironmentReport environment(ReleaseReport report, String name) {
    Optional<EnvironmentReport> environment = report.environments().stream()
        .filter(candidate -> candidate.environment().equals(name)).findFirst();
    assertThat(environment).as("the report of " + name).isPresent();
    return environment.get();
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("examples").toFile().isDirectory() ? here : here.getParent();
  }
}
