package dev.silo.starter.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.starter.CliRun;
import dev.silo.starter.SiloCliTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How decisions and starts choose a key, before anything connects. */
class SigningOptionsTest {

  @TempDir Path home;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SILO_PAYLOAD_KEY", SiloCliTest.randomKey());
    env.put("HOME", home.toString());
    env.put("USER", "carol");
    return env;
  }

  @Test
  void givenAKeyFileThatDoesNotExist_whenApproving_itExitsWith2InOneLineBeforeConnecting() {
    Path missing = home.resolve("no-such-key");

    CliRun run = CliRun.of(env(), "approve", "acme", "crm", "--key", missing.toString(), "--address",
        SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .isEqualTo("--key " + missing + ": no such file; nothing was sent");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void givenKeyAndUnsigned_whenRejectingARelease_itExitsWith2() {
    CliRun run = CliRun.of(env(), "release", "reject", "shop", "prod", "--unsigned", "--key",
        home.resolve("id").toString(), "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("--key and --unsigned exclude each other");
  }

  @Test
  void givenNoKeyAnywhere_whenApproving_itSaysOnceThatTheDecisionGoesUnsignedThenConnects() {
    CliRun run = CliRun.of(env(), "approve", "acme", "crm", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines()).hasSize(2);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .isEqualTo("no SSH key found (no --key, no ssh-agent in SSH_AUTH_SOCK, none of ["
            + home.resolve(".ssh/id_ed25519") + ", " + home.resolve(".ssh/id_ecdsa") + ", "
            + home.resolve(".ssh/id_rsa") + "]): the decision is sent unsigned; a worker that requires signatures"
            + " refuses it");
    SiloCliTest.assertNoStackTrace(run);
  }

  @Test
  void givenUnsigned_whenStartingARelease_itSaysNothingAboutKeys() {
    CliRun run = CliRun.of(env(), "release", "start", "shop", "1.0.0", "--to", "dev", "--unsigned", "--address",
        SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).doesNotContain("SSH key");
  }

  @Test
  void givenNoKeyAnywhere_whenDeploying_itSaysTheStartGoesUnsigned() {
    CliRun run = CliRun.of(env(), "deploy", "acme", "crm", "--address", SiloCliTest.closedAddress());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("the start is sent unsigned");
  }

  @Test
  void givenABlankName_whenApproving_itExitsWith2() {
    CliRun run = CliRun.of(env(), "approve", "acme", "crm", "--as", " ", "--unsigned");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("--as needs a name");
  }

  @Test
  void givenHelp_forEveryDecisionAndStart_itListsTheSigningOptions() {
    for (String[] command : List.of(new String[] {"approve", "--help"}, new String[] {"retry-desk", "--help"},
        new String[] {"release", "reject", "--help"}, new String[] {"deploy", "--help"},
        new String[] {"release", "start", "--help"})) {
      CliRun run = CliRun.of(env(), command);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).as(String.join(" ", command)).contains("--key=FILE").contains("--unsigned")
          .contains("SILO_KEY_PASSPHRASE");
    }
    CliRun approve = CliRun.of(env(), "approve", "--help");
    assertThat(approve.out()).contains("--signal").contains("[--as=NAME]");
  }

  @Test
  void givenNoName_whenDecidingUnsigned_theTypedNameIsUser() {
    CliContext context = new CliContext(env(), System.out, System.err);

    assertThat(DecisionSender.actor(null, context)).isEqualTo("carol");
    assertThat(DecisionSender.actor("dave", context)).isEqualTo("dave");
  }
}
