package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code silo release} before anything reaches a server: the command line and the exit codes. */
class ReleaseCliTest {

  /** A key in the environment, so no test ever writes ~/.silo/payload.key. */
  private static final Map<String, String> ENV = Map.of("SILO_PAYLOAD_KEY", SiloCliTest.randomKey());

  @Test
  void givenEveryArgumentWrong_whenStarting_itNamesEachProblemOnOneLineAndExitsWith2BeforeConnecting() {
    CliRun run = CliRun.of(ENV, "release", "start", "Shop", "1.0 rc", "--to", "qa", "--address",
        SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .contains("project 'Shop' is not valid")
        .contains("version '1.0 rc' is not valid")
        .contains("environment 'qa' is not one of dev, staging, uat, prod");
    SiloCliTest.assertNoStackTrace(run);
  }

  @Test
  void givenNoTarget_whenStarting_itExitsWith2AndNamesTheMissingOption() {
    CliRun run = CliRun.of(ENV, "release", "start", "shop", "1.0.0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--to=ENV'").contains("see 'silo release start --help'");
    SiloCliTest.assertNoStackTrace(run);
  }

  @Test
  void givenAnUnknownEnvironment_whenApproving_itExitsWith2() {
    CliRun run = CliRun.of(ENV, "release", "approve", "shop", "production", "--as", "alice", "--address",
        SiloCliTest.closedAddress());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("environment 'production' is not one of dev, staging, uat, prod");
  }

  @Test
  void givenABlankActor_whenApproving_itExitsWith2() {
    CliRun run = CliRun.of(ENV, "release", "approve", "shop", "prod", "--as", " ");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("--as needs a name");
  }

  @Test
  void givenNoReleaseCommand_itExitsWith2() {
    CliRun run = CliRun.of(ENV, "release");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a release command is required").contains("see 'silo release --help'");
  }

  @Test
  void givenAMissingVersion_whenWatchingWithJsonOutput_itPrintsTheErrorDocument() {
    CliRun run = CliRun.of(ENV, "release", "watch", "shop", "--output", "json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out().strip()).startsWith("{\"error\":\"Missing required parameter").endsWith("\"exitCode\":2}");
  }

  @Test
  void givenAClosedPort_whenAskingForStatus_itExitsWith3NamingTheAddress() {
    String address = SiloCliTest.closedAddress();

    CliRun run = CliRun.of(ENV, "release", "status", "shop", "--address", address);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("cannot reach Temporal at " + address);
    SiloCliTest.assertNoStackTrace(run);
  }

  @Test
  void givenAClosedPortAndJsonOutput_whenStarting_itPrintsTheErrorDocumentWithExitCode3() {
    String address = SiloCliTest.closedAddress();

    CliRun run = CliRun.of(ENV, "release", "start", "shop", "1.0.0", "--to", "dev", "--requester", "bob",
        "--address", address, "--output", "json");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out().strip())
        .startsWith("{\"error\":\"cannot reach Temporal at " + address)
        .endsWith("\"exitCode\":3}");
    SiloCliTest.assertNoStackTrace(run);
  }
}
