package dev.silo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentActivitiesTest {

  @TempDir Path tmp;

  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() {
    temporal.close();
  }

  @Test
  void givenNoReleaseRepository_whenBuilt_itShouldNotServeReleasesAndSaySo() {
    SiloActivities activities = EnvironmentActivities.build(environment(), temporal.getWorkflowClient(), notices::add);

    assertThat(activities.release()).isNull();
    assertThat(activities.unavailable()).contains("release");
    assertThat(notices).contains("release: SILO_RELEASE_REPOSITORY is not set, so release activities are not served"
        + " (a release waits until a worker that has them polls)");
  }

  @Test
  void givenAReleaseRepositoryWithCredentials_whenBuilt_itShouldServeEveryReleaseSystemAndNeverPrintTheToken() {
    Map<String, String> env = environment();
    env.put("SILO_RELEASE_REPOSITORY", "https://bot:ghp_secret@git.example/acme/{project}.git");

    SiloActivities activities = EnvironmentActivities.build(env, temporal.getWorkflowClient(), notices::add);

    assertThat(activities.unavailable())
        .doesNotContain("release", "release-database", "lock", "command", "health", "notify");
    assertThat(notices).contains("release: projects from https://***@git.example/acme/{project}.git");
    assertThat(String.join("\n", notices)).doesNotContain("ghp_secret");
  }

  @Test
  void givenNoAllowedSignersFile_whenBuilt_itShouldSayThatApprovalsAreUnauthenticated() {
    SiloActivities activities = EnvironmentActivities.build(environment(), temporal.getWorkflowClient(), notices::add);

    assertThat(activities.trust().allowedSigners().configured()).isFalse();
    assertThat(notices).anyMatch(line -> line.startsWith("approvals: UNAUTHENTICATED: SILO_ALLOWED_SIGNERS is not set"));
  }

  @Test
  void givenAnAllowedSignersFile_whenBuilt_itShouldServeItsKeys() throws Exception {
    Path file = tmp.resolve("allowed_signers");
    Files.writeString(file, "# devops\nalice@example.com namespaces=\"silo-deployer\" ssh-ed25519"
        + " AAAAC3NzaC1lZDI1NTE5AAAAIAu9iCebOqfeX4zcQaZ+KVYKBy838uD/AInkoCaDWrvc alice\n");
    Map<String, String> env = environment();
    env.put("SILO_ALLOWED_SIGNERS", file.toString());

    SiloActivities activities = EnvironmentActivities.build(env, temporal.getWorkflowClient(), notices::add);

    assertThat(activities.trust().allowedSigners().signers()).singleElement()
        .satisfies(signer -> assertThat(signer.principals()).containsExactly("alice@example.com"));
    assertThat(notices).contains("approvals: signed; 1 key(s) allowed by " + file);
  }

  @Test
  void givenAnAllowedSignersFileThatDoesNotParse_whenBuilt_itShouldRefuseNamingTheFileAndLine() throws Exception {
    Path file = tmp.resolve("allowed_signers");
    Files.writeString(file, "# devops\nalice@example.com ssh-ed25519 not-base64!\n");
    Map<String, String> env = environment();
    env.put("SILO_ALLOWED_SIGNERS", file.toString());

    assertThatThrownBy(() -> EnvironmentActivities.build(env, temporal.getWorkflowClient(), notices::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SILO_ALLOWED_SIGNERS: " + file.toAbsolutePath().normalize() + ":2: ")
        .hasMessageNotContaining("\n");
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(TestEnvironments.pointingAt("127.0.0.1:1", tmp));
    env.put("SILO_STATE_DIR", tmp.resolve("state").toString());
    env.put("SILO_WORKSPACES", tmp.resolve("workspaces").toString());
    return env;
  }
}
