package dev.silo.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SiloCliTest {

  /** A key in the environment, so no test ever writes ~/.silo/payload.key. */
  private static final Map<String, String> ENV = Map.of("SILO_PAYLOAD_KEY", randomKey());

  @Test
  void givenAnUppercaseClient_whenDeploying_itRefusesWithOneLineAndExitCode2() {
    CliRun run = CliRun.of(ENV, "deploy", "ACME", "crm", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("client 'ACME' is not valid");
    assertNoStackTrace(run);
  }

  @Test
  void givenNamesTooLongForFly_whenDeploying_itSaysWhichNameBreaksTheLimit() {
    CliRun run = CliRun.of(ENV, "deploy", "averyveryverylongclientname", "and-an-even-longer-app-name");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("too long").contains("63");
    assertNoStackTrace(run);
  }

  @Test
  void givenAClientHoldingAHyphen_whenDeploying_itNamesThePairItWouldCollideWithAndExitsWith2BeforeConnecting() {
    CliRun run = CliRun.of(ENV, "deploy", "acme-sig", "a", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("client 'acme-sig' may not contain '-': the silo ID"
        + " acme-sig-a would also be that of client 'acme', app 'sig-a'");
    assertNoStackTrace(run);
  }

  @Test
  void givenAClientHoldingAHyphen_whenAskingForStatus_itRefusesBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "status", "acme-sig", "a", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .contains("client 'acme-sig' may not contain '-'", "client 'acme', app 'sig-a'");
  }

  @Test
  void givenABadName_whenAskingForStatus_itRefusesBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "status", "acme", "crm--x", "--address", closedAddress());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("app 'crm--x' is not valid");
  }

  @Test
  void givenAnUnreadableDuration_whenDeploying_itExitsWith2AndAHint() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--approval-timeout", "5 parsecs");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: Invalid value for option '--approval-timeout'")
        .contains("'5 parsecs' is not a duration")
        .contains("see 'silo deploy --help'");
    assertThat(run.err().lines()).hasSize(2);
    assertNoStackTrace(run);
  }

  @Test
  void givenAnUnknownOnFailure_whenDeploying_itExitsWith2BeforeConnectingAndNamesTheChoices() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--on-failure", "retry", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: Invalid value for option '--on-failure'").contains("ABORT, ASK");
    assertNoStackTrace(run);
  }

  @Test
  void givenTheGuidedFailureCommands_whenAskedForHelp_theyDescribeThemselvesAndTheirSigning() {
    for (String command : new String[] {"retry-step", "skip-step", "abort"}) {
      CliRun run = CliRun.of(ENV, command, "--help");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("--on-failure ask", "--comment", "--signal", "--output");
    }
  }

  @Test
  void givenAZeroDuration_whenDeploying_itExitsWith2() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--approval-timeout", "0s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'0s' is out of range: it must be from 1m to 720h");
  }

  @Test
  void givenAnApprovalTimeoutLongerThan30Days_whenDeploying_itExitsWith2BeforeConnecting() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--approval-timeout", "99999999d", "--address",
        closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().findFirst()).hasValue("error: Invalid value for option '--approval-timeout':"
        + " '99999999d' is out of range: it must be from 1m to 720h");
    assertNoStackTrace(run);
  }

  @Test
  void givenAnApprovalTimeoutNoClockHolds_whenDeploying_itExitsWith2NotWithAnOverflow() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--approval-timeout", "999999999999d", "--address",
        closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).doesNotContain("overflow")
        .contains("'999999999999d' is out of range: it must be from 1m to 720h");
    assertNoStackTrace(run);
  }

  @Test
  void givenADockerTaskQueueWithASpace_whenDeploying_itRefusesBeforeConnecting() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--docker-task-queue", "engine b", "--address",
        closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .contains("--docker-task-queue 'engine b' may hold only letters, digits");
    assertNoStackTrace(run);
  }

  @Test
  void givenAConfigRoot_whenDeploying_itRefusesBeforeConnectingAndPointsAtTheWorkersConfigRoot() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--config-root", "/etc", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .endsWith("--config-root is no longer accepted: the worker reads silos only under its own"
            + " SILO_CONFIG_ROOT (directories separated by ':'); put acme-crm/ there");
    assertNoStackTrace(run);
  }

  @Test
  void givenTheRequesterAsOnlyApprover_whenDeploying_itRefusesARunNobodyCouldApprove() {
    CliRun run = CliRun.of(ENV, "deploy", "acme", "crm", "--requester", "bob", "--approver", "bob");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("may not approve their own run").contains("--allow-self-approval");
  }

  @Test
  void givenNoCommand_itExitsWith2() {
    CliRun run = CliRun.of(ENV);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a command is required");
  }

  @Test
  void givenAnUnknownCommand_itExitsWith2() {
    CliRun run = CliRun.of(ENV, "deplyo", "acme", "crm");

    assertThat(run.exitCode()).isEqualTo(2);
    assertNoStackTrace(run);
  }

  @Test
  void givenNoPayloadKeyAndNoServer_whenListing_itShouldExit3AndCreateNoKeyFile(@TempDir Path home) {
    Path keyFile = home.resolve(".silo").resolve("payload.key");

    CliRun run = CliRun.of(Map.of("SILO_PAYLOAD_KEY_FILE", keyFile.toString()), "list", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines()).singleElement().asString().startsWith("cannot reach Temporal at ");
    assertThat(keyFile.getParent()).doesNotExist();
  }

  @Test
  void givenAClosedPort_whenAskingForStatus_itExitsWith3NamingTheAddress() {
    String address = closedAddress();

    CliRun run = CliRun.of(ENV, "status", "acme", "crm", "--address", address);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("cannot reach Temporal at " + address);
    assertNoStackTrace(run);
  }

  @Test
  void givenAClosedPortAndJsonOutput_whenListing_itPrintsTheErrorDocument() {
    String address = closedAddress();

    CliRun run = CliRun.of(ENV, "list", "--address", address, "--output", "json");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out().strip())
        .startsWith("{\"error\":\"cannot reach Temporal at " + address)
        .endsWith("\"exitCode\":3}");
    assertNoStackTrace(run);
  }

  @Test
  void givenJsonOutput_whenTheCommandLineIsWrong_itPrintsTheErrorDocument() {
    CliRun run = CliRun.of(ENV, "watch", "acme", "--output", "json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out().strip()).startsWith("{\"error\":\"Missing required parameter").endsWith("\"exitCode\":2}");
  }

  @Test
  void givenAMalformedPayloadKey_whenAskingForStatus_itExitsWith2() {
    CliRun run = CliRun.of(Map.of("SILO_PAYLOAD_KEY", "not-a-key"), "status", "acme", "crm");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("SILO_PAYLOAD_KEY");
    assertNoStackTrace(run);
  }

  public static void assertNoStackTrace(CliRun run) {
    assertThat(run.all()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  public static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** An address nothing listens on: a port the OS just handed out and got back. */
  public static String closedAddress() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
