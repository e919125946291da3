package dev.silo.starter;

import static dev.silo.starter.SiloCliTest.assertNoStackTrace;
import static dev.silo.starter.SiloCliTest.closedAddress;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo destroy} and the {@code --destroy} of the decision commands, before anything runs:
 * what is refused in one line with exit 2 ({@code --netlify} no longer is), an unreachable server with exit 3, and the help.
 */
class DestroyCliTest {

  @TempDir Path home;

  private Map<String, String> env;

  @BeforeEach
  void keylessHome() {
    env = Map.of("SILO_PAYLOAD_KEY", SiloCliTest.randomKey(), "HOME", home.toString());
  }

  @Test
  void givenNetlify_whenDestroying_itIsAcceptedAndGoesOnToTheServer() {
    CliRun run = CliRun.of(env, "destroy", "acme", "crm", "--netlify", "--unsigned", "--address", closedAddress());

    assertThat(run.exitCode()).as("no longer refused: past the input checks, the server is unreachable: " + run)
        .isEqualTo(3);
    assertThat(run.err().lines()).singleElement().asString().startsWith("cannot reach Temporal");
    assertThat(run.err()).doesNotContain("--netlify");
    assertNoStackTrace(run);
  }

  @Test
  void givenABadName_whenDestroying_itRefusesBeforeConnecting() {
    CliRun run = CliRun.of(env, "destroy", "acme-sig", "a", "--unsigned", "--address", closedAddress());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("client 'acme-sig' may not contain '-'");
    assertNoStackTrace(run);
  }

  @Test
  void givenTheRequesterAsOnlyApprover_whenDestroying_itRefusesATeardownNobodyCouldApprove() {
    CliRun run = CliRun.of(env, "destroy", "acme", "crm", "--requester", "bob", "--approver", "bob", "--unsigned");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("may not approve their own teardown");
  }

  @Test
  void givenNoServer_whenDestroying_itExitsWith3() {
    CliRun run = CliRun.of(env, "destroy", "acme", "crm", "--unsigned", "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines()).singleElement().asString().startsWith("cannot reach Temporal");
    assertNoStackTrace(run);
  }

  @Test
  void givenNoServer_whenApprovingATeardown_itExitsWith3() {
    CliRun run = CliRun.of(env, "approve", "acme", "crm", "--destroy", "--unsigned", "--as", "bob",
        "--address", closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertNoStackTrace(run);
  }

  @Test
  void givenHelp_itNamesTheChoicesThePlanStates() {
    CliRun run = CliRun.of(env, "destroy", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--delete-branch").contains("--netlify").contains("--follow")
        .contains("Netlify is left untouched unless --netlify").contains("--output");
  }
}
